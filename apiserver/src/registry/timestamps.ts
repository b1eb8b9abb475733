// metav1.Time on the wire: RFC 3339 with whole seconds, as Kubernetes serializes it.
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
