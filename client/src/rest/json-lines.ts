// A watch answers with one JSON document per line, written as things happen. The network cuts
// that stream into chunks wherever it likes: one event can span chunks, a chunk can hold many
// events and end mid-line, and a multi-byte UTF-8 character can straddle two chunks. So bytes
// are decoded in streaming mode and only complete lines are parsed.
import { TextDecoder } from 'node:util';

export class StreamDecodeError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StreamDecodeError';
  }
}

/** Yields each line's JSON value as soon as its newline arrives. */
export async function* decodeJsonLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  for await (const chunk of chunks) {
    pending += decodeChunk(decoder, chunk, true);
    let start = 0;
    for (let newline = pending.indexOf('\n'); newline >= 0;) {
      const line = pending.slice(start, newline);
      start = newline + 1;
      if (line.trim()) yield parseLine(line);
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  pending += decodeChunk(decoder, new Uint8Array(), false);
  // A complete last document without its newline is still a document; a cut-off one is not.
  if (pending.trim()) yield parseLine(pending);
}

function decodeChunk(decoder: TextDecoder, chunk: Uint8Array, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch (err) {
    throw new StreamDecodeError('the stream is not valid UTF-8', err);
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (err) {
    const shown = line.length > 120 ? `${line.slice(0, 120)}…` : line;
    throw new StreamDecodeError(`a line of the stream is not JSON: ${shown}`, err);
  }
}
