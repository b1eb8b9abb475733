import { describe, expect, it } from 'vitest';
import { findKubectl } from './kubectl.js';

describe('findKubectl', () => {
  it('gives undefined locally when kubectl is not on PATH, so the caller can skip', () => {
    expect(findKubectl({ PATH: '/nonexistent/bin' })).toBeUndefined();
  });

  it('fails under CI=true when kubectl is not on PATH, never skipping', () => {
    expect(() => findKubectl({ PATH: '/nonexistent/bin', CI: 'true' })).toThrow(
      'kubectl is required under CI=true, and is not on PATH (/nonexistent/bin)',
    );
  });
});
