// The Services (`ns/name`) changed since the last sync: what a partial sync rewrites, and the
// pending-changes metrics.
export class ChangedNames {
  private readonly names = new Set<string>();

  add(name: string): void {
    this.names.add(name);
  }

  pending(): number {
    return this.names.size;
  }

  /** The names changed since the last call. */
  take(): Set<string> {
    const changed = new Set(this.names);
    this.names.clear();
    return changed;
  }
}
