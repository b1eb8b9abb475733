// A label selector: requirements ANDed together. `everything()` has no requirements and matches
// every object; `nothing()` matches none. They differ from each other even though both print as
// "", which is why a missing LabelSelector (nothing) and an empty one (everything) must never be
// confused.
import {
  type Labels,
  type Requirement,
  compareStrings,
  requirementMatches,
  requirementString,
} from './requirement.js';

export class Selector {
  private constructor(
    private readonly reqs: readonly Requirement[],
    private readonly matchesNothing: boolean,
  ) {}

  /** Requirements are kept sorted by key so that toString() is canonical. */
  static of(requirements: readonly Requirement[]): Selector {
    const sorted = [...requirements].sort((a, b) => compareStrings(a.key, b.key));
    return new Selector(sorted, false);
  }

  static readonly everything = new Selector([], false);
  static readonly nothing = new Selector([], true);

  matches(labels: Labels | undefined): boolean {
    if (this.matchesNothing) return false;
    const set = labels ?? {};
    return this.reqs.every((r) => requirementMatches(r, set));
  }

  /** True when the selector places no restriction (matches everything). */
  isEverything(): boolean {
    return !this.matchesNothing && this.reqs.length === 0;
  }

  isNothing(): boolean {
    return this.matchesNothing;
  }

  requirements(): readonly Requirement[] {
    return this.reqs;
  }

  /** A copy with more requirements ANDed in. */
  add(...more: Requirement[]): Selector {
    if (this.matchesNothing) return this;
    return Selector.of([...this.reqs, ...more]);
  }

  /**
   * The value a selector pins `key` to (`key=v`, `key==v`, `key in (v)`), if any: lets an
   * indexer answer `app=web` from an index instead of scanning.
   */
  requiresExactMatch(key: string): string | undefined {
    const r = this.reqs.find((x) => x.key === key);
    if (!r || !['=', '==', 'in'].includes(r.operator) || r.values.length !== 1) return undefined;
    return r.values[0];
  }

  /** The canonical string form: requirements sorted by key, values sorted. */
  toString(): string {
    return this.reqs.map(requirementString).join(',');
  }

  toJSON(): string {
    return this.toString();
  }
}

export function everything(): Selector {
  return Selector.everything;
}

export function nothing(): Selector {
  return Selector.nothing;
}

/** `{app: 'web'}` → `app=web`. An empty set selects everything. Values are not validated. */
export function selectorFromSet(set: Labels | undefined): Selector {
  const reqs = Object.entries(set ?? {}).map(([key, value]): Requirement => ({
    key,
    operator: '=',
    values: [value],
  }));
  return reqs.length === 0 ? Selector.everything : Selector.of(reqs);
}
