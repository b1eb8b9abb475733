// /version in Kubernetes' shape. The gitVersion parses as a Kubernetes version (clients such
// as kubectl compare it with their own to warn about skew), and the `-skiff.0` suffix says
// whose server it is.
import { arch, platform } from 'node:os';
import { goArch } from '@skiff/api';

export const KUBERNETES_MAJOR = '1';
export const KUBERNETES_MINOR = '31';
export const SERVER_GIT_VERSION = `v${KUBERNETES_MAJOR}.${KUBERNETES_MINOR}.0-skiff.0`;

export function versionInfo(): object {
  return {
    major: KUBERNETES_MAJOR,
    minor: KUBERNETES_MINOR,
    gitVersion: SERVER_GIT_VERSION,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '',
    goVersion: `node ${process.version}`,
    compiler: 'tsc',
    platform: `${platform()}/${goArch(arch())}`,
  };
}
