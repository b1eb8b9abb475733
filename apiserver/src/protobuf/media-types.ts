// Content negotiation for Kubernetes' protobuf media type. JSON stays the default: protobuf is
// used for a response only when the client lists it before anything JSON can satisfy (client-go
// sends `application/vnd.kubernetes.protobuf, */*`; kubectl's Table requests ask for JSON).

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
/** The Content-Type of a protobuf watch stream. */
export const PROTOBUF_WATCH_MEDIA_TYPE = `${PROTOBUF_MEDIA_TYPE};stream=watch`;

export function isProtobufContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}

interface MediaRange {
  readonly type: string;
  readonly q: number;
  /** Parameters other than q (`as=Table`, `stream=watch`, …). */
  readonly params: ReadonlyMap<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    if (type === '') continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      const key = (eq === -1 ? p : p.slice(0, eq)).trim().toLowerCase();
      const value = eq === -1 ? '' : p.slice(eq + 1).trim();
      if (key === 'q') q = Number(value);
      else params.set(key, value);
    }
    if (Number.isFinite(q) && q > 0) ranges.push({ type: type.toLowerCase(), q, params });
  }
  // Stable: equal weights keep the client's order.
  return ranges.sort((a, b) => b.q - a.q);
}

const cache = new Map<string, boolean>();

/** True when the client's Accept header prefers Kubernetes protobuf over JSON. */
export function prefersProtobuf(accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes('protobuf')) return false;
  let answer = cache.get(accept);
  if (answer === undefined) {
    answer = firstServed(parseAccept(accept)) === 'protobuf';
    if (cache.size < 256) cache.set(accept, answer);
  }
  return answer;
}

function firstServed(ranges: readonly MediaRange[]): 'protobuf' | 'json' | undefined {
  for (const range of ranges) {
    // A conversion (`as=Table`, `as=PartialObjectMetadata`) is served as JSON.
    if (range.params.has('as')) continue;
    if (range.type === PROTOBUF_MEDIA_TYPE) return 'protobuf';
    if (
      range.type === 'application/json' ||
      range.type === 'application/*' ||
      range.type === '*/*' ||
      range.type.endsWith('+json')
    ) {
      return 'json';
    }
  }
  return undefined;
}
