import { describe, expect, it } from 'vitest';
import { goArch } from './go-arch.js';

describe('goArch', () => {
  it.each([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['ia32', '386'],
    ['ppc64', 'ppc64le'],
    ['mipsel', 'mipsle'],
    ['something-new', 'something-new'],
  ])('spells %s as Go does: %s', (node, go) => {
    expect(goArch(node)).toBe(go);
  });

  it('answers for this process by default', () => {
    expect(goArch()).toBe(goArch(process.arch));
  });
});
