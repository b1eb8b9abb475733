// Content is addressed by digest: `sha256:<64 lowercase hex>`. Only sha256 is accepted because
// it is what every registry and image builder emits; sha512 would be easy to add here alone.
import { createHash, type Hash } from 'node:crypto';
import { ImageError } from './errors.js';

export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const ANY_ALGORITHM_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export function isDigest(value: string): value is Digest {
  return DIGEST_RE.test(value);
}

/** Validates `value` as a sha256 digest; `what` names it in the error ("layer digest"). */
export function parseDigest(value: string, what = 'digest'): Digest {
  if (isDigest(value)) return value;
  if (ANY_ALGORITHM_RE.test(value) && !value.startsWith('sha256:')) {
    throw new ImageError(
      'Unsupported',
      `${what} ${JSON.stringify(value)} uses an unsupported algorithm (only sha256 is supported)`,
    );
  }
  throw new ImageError(
    'InvalidArgument',
    `${what} ${JSON.stringify(value)} is not a valid digest (want sha256:<64 lowercase hex>)`,
  );
}

/** The hex part, used as a file name. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

export function sha256Of(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Accumulates a digest and a byte count over chunks as they stream past. */
export class Digester {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  get size(): number {
    return this.bytes;
  }

  digest(): Digest {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
