// A watch read as kubectl get -w reads it: asking for Tables, so each event carries a Table of
// the one object. The tests' ApiClient watch sends no Accept header, hence this reader.
export interface TableWatchEvent {
  readonly type: string;
  readonly object: {
    columnDefinitions?: { name: string }[];
    rows?: { cells: unknown[] }[];
  };
}

export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

/** Opens `url` and resolves with its first `count` events, then closes the stream. */
export async function firstTableEvents(url: string, count: number): Promise<TableWatchEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  const events: TableWatchEvent[] = [];
  try {
    const res = await fetch(url, { headers: { accept: tableAccept }, signal: abort.signal });
    if (!res.body) throw new Error(`watch ${url} answered ${res.status} without a body`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim()) events.push(JSON.parse(line) as TableWatchEvent);
      }
      if (events.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  if (events.length < count) throw new Error(`watch delivered ${events.length} of ${count} events`);
  return events.slice(0, count);
}
