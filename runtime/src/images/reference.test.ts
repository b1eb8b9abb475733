import { describe, expect, it } from 'vitest';
import { isImageError } from './errors.js';
import { formatReference, parseReference } from './reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['user/app:v1', 'docker.io/user/app:v1'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/a/b:tag', 'localhost:5000/a/b:tag'],
    ['127.0.0.1:5000/a:b', '127.0.0.1:5000/a:b'],
    ['[::1]:5000/a/b:c', '[::1]:5000/a/b:c'],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    [`busybox@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`],
    [`quay.io/x/y:1.0@${DIGEST}`, `quay.io/x/y:1.0@${DIGEST}`],
    ['a_b__c-d---e/g.h', 'docker.io/a_b__c-d---e/g.h:latest'],
    ['ghcr.io/org/a.b_c-d:tag_With.Caps-1', 'ghcr.io/org/a.b_c-d:tag_With.Caps-1'],
  ])('normalizes %s to %s', (input, normalized) => {
    expect(formatReference(parseReference(input))).toBe(normalized);
  });

  it('splits domain, path, tag and digest', () => {
    expect(parseReference(`localhost:5000/a/b:tag@${DIGEST}`)).toEqual({
      domain: 'localhost:5000',
      path: 'a/b',
      tag: 'tag',
      digest: DIGEST,
    });
  });

  it.each([
    ['', 'empty'],
    ['Busybox', 'must be lowercase'],
    ['docker.io/User/app', 'must be lowercase'],
    ['a'.repeat(64).replace(/a/g, 'f'), 'image ID'],
    ['busybox:', 'tag'],
    ['busybox:-bad', 'tag'],
    [`busybox:${'t'.repeat(129)}`, 'tag'],
    ['busybox@sha256:abc', 'not a valid digest'],
    ['busybox@md5:abcdef', 'unsupported algorithm'],
    ['a//b', 'empty component'],
    ['a/b/', 'empty component'],
    ['-a/b', 'path component'],
    ['a/b_', 'path component'],
    ['host:notaport/app', 'port'],
    ['bad_host.io/app', 'host'],
    [`example.com/${'x'.repeat(260)}`, 'longer than 255'],
    [':tag', 'repository name is empty'],
  ])('rejects %j with a message about %s', (input, fragment) => {
    let err: unknown;
    try {
      parseReference(input);
    } catch (e) {
      err = e;
    }
    expect(isImageError(err, 'InvalidArgument') || isImageError(err, 'Unsupported')).toBe(true);
    expect((err as Error).message).toContain(fragment);
    expect((err as Error).message).toContain('invalid image reference');
  });
});
