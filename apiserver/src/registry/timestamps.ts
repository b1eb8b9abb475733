// metav1.Time on the wire: RFC 3339 with whole seconds, as Kubernetes serializes it.
//
// Every create stamps one, and thousands of creates share a second, so the last second's text
// is kept: formatting a Date was ~0.5% of a create's CPU.
let cachedSecond = Number.NaN;
let cachedText = '';

export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    cachedSecond = second;
  }
  return cachedText;
}
