/** A metav1.Time: RFC 3339 in UTC, whole seconds (as Kubernetes serializes it). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
