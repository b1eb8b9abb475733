// The message of anything thrown: JavaScript lets code throw strings, numbers and plain objects,
// so a catch block that wants text for a log line or a wrapping error asks this.

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
