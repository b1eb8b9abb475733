// Small images for tests: a base layer and an app layer on top, with config values worth
// asserting. `appImage('v2')` differs from `appImage('v1')` only in its top layer.
import {
  buildImage,
  buildLayer,
  type BuiltImage,
  type BuiltLayer,
} from '../build/image-builder.js';

export const baseLayer: BuiltLayer = buildLayer({
  gzip: true,
  entries: [
    { path: 'etc/', type: 'directory' },
    { path: 'etc/os-release', data: 'NAME=skiff-test\n' },
    { path: 'bin/', type: 'directory' },
    { path: 'bin/hello', data: '#!/bin/sh\necho hello\n', mode: 0o755 },
  ],
});

export function appImage(version: string, options: { gzip?: boolean } = {}): BuiltImage {
  const app = buildLayer({
    gzip: options.gzip ?? false,
    entries: [
      { path: 'app/', type: 'directory' },
      { path: 'app/version', data: version },
      { path: 'etc/.wh.os-release' },
    ],
  });
  return buildImage([baseLayer, app], {
    Entrypoint: ['/bin/hello'],
    Cmd: ['--version', version],
    Env: ['PATH=/bin', `APP_VERSION=${version}`],
    WorkingDir: '/app',
    User: '1000:1000',
    ExposedPorts: { '8080/tcp': {} },
    Labels: { version },
  });
}
