import { describe, expect, it } from 'vitest';
import { findEtcdBinary } from './etcd-process.js';

describe('etcd test harness', () => {
  it('names the package to install when etcd is not on the PATH', () => {
    expect(() => findEtcdBinary('/nonexistent/bin:/also/missing')).toThrow(
      /etcd binary not found on PATH \(\/nonexistent\/bin:\/also\/missing\); install it with `apt-get install -y etcd-server`/,
    );
  });

  it('finds the etcd binary on the PATH', () => {
    expect(findEtcdBinary()).toMatch(/\/etcd$/);
  });
});
