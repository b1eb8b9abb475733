// Where storage keys live in etcd: under one prefix (default `/registry/`, as Kubernetes), so
// several stores can share an etcd and `etcdctl get --prefix /registry/` shows what skiff wrote.
// Everything that turns a storage key or prefix into etcd bytes, and back, is in this file.
import { StorageError } from '../errors.js';
import { assertValidKey } from '../keys.js';

export class EtcdKeyspace {
  private readonly prefixBytes: Buffer;
  /** The prefix itself as an etcd key: never a storage key, handy for revision-only reads. */
  readonly root: Buffer;

  constructor(readonly prefix: string) {
    if (prefix.includes('\0')) {
      throw new StorageError(
        'InvalidKey',
        `etcd key prefix contains NUL: ${JSON.stringify(prefix)}`,
      );
    }
    this.prefixBytes = Buffer.from(prefix, 'utf8');
    this.root = Buffer.from(this.prefixBytes);
  }

  /** The etcd key of one storage key; throws InvalidKey for keys the contract forbids. */
  key(key: string): Buffer {
    assertValidKey(key);
    return Buffer.from(this.prefix + key, 'utf8');
  }

  /**
   * The etcd range [start, end) for "keys starting with `prefix`, strictly after `startAfter`".
   * The start never goes below the prefix itself: a startAfter that sorts before the prefix
   * must not widen the range to keys outside it.
   */
  range(prefix: string, startAfter?: string): { start: Buffer; end: Buffer } {
    assertValidPrefix(prefix);
    const first = Buffer.from(this.prefix + prefix, 'utf8');
    const end = prefixEnd(first);
    if (startAfter === undefined) return { start: first, end };
    assertValidKey(startAfter);
    // The smallest key strictly greater than startAfter is startAfter + "\0".
    const after = Buffer.concat([Buffer.from(this.prefix + startAfter, 'utf8'), Buffer.of(0)]);
    return { start: Buffer.compare(after, first) > 0 ? after : first, end };
  }

  /** The storage key of an etcd key that this keyspace produced. */
  strip(etcdKey: Buffer): string {
    if (!etcdKey.subarray(0, this.prefixBytes.length).equals(this.prefixBytes)) {
      throw new StorageError(
        'Internal',
        `etcd returned a key outside ${this.prefix}: ${etcdKey.toString()}`,
      );
    }
    return etcdKey.subarray(this.prefixBytes.length).toString('utf8');
  }
}

function assertValidPrefix(prefix: string): void {
  if (prefix.includes('\0')) {
    throw new StorageError(
      'InvalidKey',
      `storage prefix contains NUL: ${JSON.stringify(prefix)}`,
      prefix,
    );
  }
}

/**
 * etcd's "range end" for a prefix: the prefix with its last byte incremented, dropping trailing
 * 0xff bytes ("a\xff" → "b"). All 0xff (or empty) means "to the end of the keyspace", which etcd
 * spells as a single NUL byte.
 */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    const byte = end[i] ?? 0xff;
    if (byte < 0xff) {
      end[i] = byte + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.of(0);
}
