// hpack.js (CommonJS, no types of its own), typed for the part the authority rewriter uses.
// Loaded with require so that no ambient declaration has to travel with every program that
// compiles the runtime from source.
import { createRequire } from 'node:module';

export interface HeaderField {
  readonly name: string;
  /** Bytes as latin1 characters: HPACK strings are octets. */
  readonly value: string;
  readonly neverIndex: boolean;
}

export interface Decompressor {
  write(block: Buffer): boolean;
  /** Decodes what was written, synchronously; a malformed block emits 'error'. */
  execute(): void;
  once(event: 'error', listener: (err: Error) => void): this;
  removeListener(event: 'error', listener: (err: Error) => void): this;
  read(): HeaderField | null;
}

interface HpackModule {
  readonly decompressor: {
    create(options: { table: { maxSize: number } }): Decompressor;
  };
}

export const hpack = createRequire(import.meta.url)('hpack.js') as HpackModule;
