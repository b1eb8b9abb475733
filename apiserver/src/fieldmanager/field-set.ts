// A set of field paths, as structured-merge-diff's fieldpath.Set: a tree whose edges are path
// elements in their encoded form (`f:name`, `k:{"name":"nginx"}`, `v:"a"`, `i:0`), where a node
// is a member of the set or only leads to members. FieldsV1 is this tree as JSON: a member
// with children carries `".": {}`, a member leaf is `{}`.

export class FieldSet {
  private member = false;
  private readonly children = new Map<string, FieldSet>();

  /** Adds a path (a list of encoded path elements). */
  insert(path: readonly string[]): void {
    const [first, ...rest] = path;
    if (first === undefined) this.member = true;
    else this.child(first).insert(rest);
  }

  has(path: readonly string[]): boolean {
    const [first, ...rest] = path;
    if (first === undefined) return this.member;
    return this.children.get(first)?.has(rest) ?? false;
  }

  /** Whether the path, or any path under it, is a member. */
  hasWithin(path: readonly string[]): boolean {
    const [first, ...rest] = path;
    if (first === undefined) return !this.isEmpty();
    return this.children.get(first)?.hasWithin(rest) ?? false;
  }

  isEmpty(): boolean {
    return !this.member && this.children.size === 0;
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    out.addAll(other);
    return out;
  }

  /** The members of this set that are not members of `other` (member by member, as Kubernetes). */
  difference(other: FieldSet): FieldSet {
    return this.filtered((path) => !other.has(path));
  }

  intersection(other: FieldSet): FieldSet {
    return this.filtered((path) => other.has(path));
  }

  equals(other: FieldSet): boolean {
    return JSON.stringify(this.toFieldsV1()) === JSON.stringify(other.toFieldsV1());
  }

  /** Every member path, in FieldsV1 order. */
  paths(): string[][] {
    const out: string[][] = [];
    this.collect([], out);
    return out;
  }

  /** The FieldsV1 JSON of this set: `.` first, then elements in Kubernetes' order. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [element, child] of this.sortedChildren()) {
      out[element] =
        child.children.size === 0
          ? {}
          : { ...(child.member ? { '.': {} } : {}), ...child.toFieldsV1() };
    }
    return out;
  }

  /** Reads FieldsV1 JSON; throws on anything that is not a tree of objects. */
  static fromFieldsV1(json: unknown): FieldSet {
    const set = new FieldSet();
    set.read(json, []);
    return set;
  }

  private read(json: unknown, path: string[]): void {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new TypeError(`fieldsV1 at ${path.join('.') || 'the root'} is not an object`);
    }
    const entries = Object.entries(json);
    if (entries.length === 0 && path.length > 0) this.insert(path);
    for (const [element, child] of entries) {
      if (element === '.') this.insert(path);
      else this.read(child, [...path, element]);
    }
  }

  private child(element: string): FieldSet {
    let node = this.children.get(element);
    if (node === undefined) {
      node = new FieldSet();
      this.children.set(element, node);
    }
    return node;
  }

  private copy(): FieldSet {
    const out = new FieldSet();
    out.addAll(this);
    return out;
  }

  private addAll(other: FieldSet): void {
    if (other.member) this.member = true;
    for (const [element, child] of other.children) this.child(element).addAll(child);
  }

  private filtered(keep: (path: string[]) => boolean): FieldSet {
    const out = new FieldSet();
    for (const path of this.paths()) if (keep(path)) out.insert(path);
    return out;
  }

  private collect(prefix: string[], out: string[][]): void {
    if (this.member) out.push(prefix);
    for (const [element, child] of this.sortedChildren()) child.collect([...prefix, element], out);
  }

  private sortedChildren(): [string, FieldSet][] {
    return [...this.children].sort(([a], [b]) => compareElements(a, b));
  }
}

// structured-merge-diff orders path elements by kind (field names, then keys, values, indexes),
// then by their text within a kind.
const kindOrder: Readonly<Record<string, number>> = { f: 0, k: 1, v: 2, i: 3 };

function compareElements(a: string, b: string): number {
  const ka = kindOrder[a.slice(0, 1)] ?? 4;
  const kb = kindOrder[b.slice(0, 1)] ?? 4;
  if (ka !== kb) return ka - kb;
  if (a.startsWith('i:') && b.startsWith('i:')) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}
