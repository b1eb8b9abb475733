// The part of hpack.js (no types of its own) that the authority rewriter uses.
declare module 'hpack.js' {
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
  export const decompressor: {
    create(options: { table: { maxSize: number } }): Decompressor;
  };
}
