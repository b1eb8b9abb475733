// What is programmed in the `ip kube-proxy` table, and the `nft -f` transaction that takes it to
// the next state. A full transaction rewrites everything (on the first sync it deletes the table
// first, so no stale rule survives a restart); a partial one touches only the changed Service
// ports: their chains are flushed and rewritten, their map elements deleted and added. Elements
// are counted, because Service ports share some (two ports of one Service, one cluster IP).
// The state moves only when the caller commits, i.e. after nft accepted the transaction.
//
// A chain no longer wanted is flushed before it is deleted. The kernel refuses to delete a chain
// that a rule or a verdict-map element still jumps to ("Device or resource busy"), and the jumps
// to a stale chain usually come from other stale chains (a service chain's `numgen … vmap` to its
// endpoint chains, an external chain's `goto` to its service chain): deleted in fragment order,
// the endpoint chain went while its service chain still jumped to it. Flushed first, a stale
// chain jumps nowhere and nothing jumps to it, and the kernel (6.2 on) lets the same transaction
// delete it. Older kernels release a chain's references from deleted map elements and anonymous
// vmaps only a moment after the commit; there, as Kubernetes' nftables proxier always does, the
// chain stays flushed and a later transaction deletes it once it has been stale for
// STALE_CHAIN_GRACE_MS. The first refusal switches to that (`deferStaleChainDeletion`), and the
// refused change is rerun without the deletions (`withoutStaleChainDeletions`).
import type { SyncKind } from '../model/sync-kind.js';
import { NFT_BASE_CHAIN_SPECS, NFT_TABLE } from './base.js';
import type { NftChain, NftElement, NftFragment, NftSet } from './fragment.js';

export interface NftTransaction {
  readonly text: string;
  /** Rules and set/map elements programmed once this transaction is committed. */
  readonly ruleCount: number;
  readonly elementCount: number;
  /** The same change, deleting no stale chain; undefined when this one deletes none. */
  readonly withoutStaleChainDeletions: NftTransaction | undefined;
  commit(): void;
}

/** How long a flushed chain stays, when deletion is deferred (Kubernetes: one second). */
export const STALE_CHAIN_GRACE_MS = 1000;

const elementId = (e: NftElement): string => `${e.set}\u0000${e.key}\u0000${e.value ?? ''}`;
const isMap = (set: NftSet): boolean => set.spec.includes(': verdict');

/** What a transaction changes, before the deletion of stale chains is added to it. */
interface Change {
  readonly lines: readonly string[];
  /** Chains this change wants: a stale one among them is in use again. */
  readonly wanted: ReadonlySet<string>;
  /** Chains this change flushes because nothing wants them any more. */
  readonly staled: readonly string[];
  readonly ruleCount: number;
  readonly elementCounts: Map<string, number>;
  /** Moves the Service ports' fragments to what this change programs. */
  readonly commitServices: () => void;
}

export class NftRuleset {
  private services = new Map<string, NftFragment>();
  private elementCounts = new Map<string, number>();
  private ruleCount = 0;
  /** Flushed chains still in the table, with when they were flushed (ms, the caller's clock). */
  private staleChains = new Map<string, number>();
  private deleteFlushedChainsAtOnce = true;

  /** From now on, a flushed chain is deleted by a later transaction, not by its own. */
  deferStaleChainDeletion(): void {
    this.deleteFlushedChainsAtOnce = false;
  }

  /** Service port keys programmed now. */
  programmedKeys(): IterableIterator<string> {
    return this.services.keys();
  }

  /** When a transaction may delete the oldest stale chain; undefined when there is none. */
  staleChainsDeletableAt(): number | undefined {
    let oldest: number | undefined;
    for (const at of this.staleChains.values()) oldest = Math.min(oldest ?? at, at);
    return oldest === undefined ? undefined : oldest + STALE_CHAIN_GRACE_MS;
  }

  /**
   * `updates` holds, for a partial sync, the changed Service ports (undefined: removed); for a
   * full or initial sync, every Service port there should be. `now` (ms) dates the chains this
   * transaction leaves stale and decides which stale ones it deletes.
   */
  transaction(
    kind: SyncKind,
    base: NftFragment,
    updates: ReadonlyMap<string, NftFragment | undefined>,
    now: number,
  ): NftTransaction {
    const change =
      kind === 'partial' ? this.partial(updates) : this.full(kind === 'initial', base, updates);
    if (kind === 'initial') return this.finish(change, now, [], true);
    const deletable = [...this.staleChains]
      .filter(([name, at]) => at + STALE_CHAIN_GRACE_MS <= now && !change.wanted.has(name))
      .map(([name]) => name);
    if (this.deleteFlushedChainsAtOnce) deletable.push(...change.staled);
    return this.finish(change, now, deletable, false);
  }

  private finish(
    change: Change,
    now: number,
    deletions: readonly string[],
    replacesTable: boolean,
  ): NftTransaction {
    const lines = [
      ...change.lines,
      ...deletions.map((name) => `delete chain ${NFT_TABLE} ${name}`),
    ];
    return {
      text: lines.length > 0 ? `${lines.join('\n')}\n` : '',
      ruleCount: change.ruleCount,
      elementCount: change.elementCounts.size,
      withoutStaleChainDeletions:
        deletions.length > 0 ? this.finish(change, now, [], replacesTable) : undefined,
      commit: () => {
        change.commitServices();
        this.elementCounts = change.elementCounts;
        this.ruleCount = change.ruleCount;
        if (replacesTable) this.staleChains = new Map();
        for (const name of change.staled) this.staleChains.set(name, now);
        for (const name of [...change.wanted, ...deletions]) this.staleChains.delete(name);
      },
    };
  }

  private full(
    replacesTable: boolean,
    base: NftFragment,
    desired: ReadonlyMap<string, NftFragment | undefined>,
  ): Change {
    const out: string[] = [`add table ${NFT_TABLE} { comment "rules for kube-proxy" ; }`];
    if (replacesTable) {
      out.push(`delete table ${NFT_TABLE}`, out[0] ?? '');
    } else {
      // Rules go (every chain is flushed: unwanted ones can be deleted after this), affinity
      // sets keep what they learned; dispatch maps are refilled below.
      out.push(`flush table ${NFT_TABLE}`);
    }
    for (const set of base.sets) {
      out.push(`add ${isMap(set) ? 'map' : 'set'} ${NFT_TABLE} ${set.name} ${set.spec}`);
      if (!replacesTable) out.push(`flush ${isMap(set) ? 'map' : 'set'} ${NFT_TABLE} ${set.name}`);
    }
    const services = new Map<string, NftFragment>();
    for (const [key, fragment] of desired) if (fragment) services.set(key, fragment);
    const all = [base, ...services.values()];
    const counts = new Map<string, number>();
    const elements: NftElement[] = [];
    let ruleCount = 0;
    // Sets before the rules that name them, every chain before the rules that jump to it.
    for (const fragment of all) writeSets(out, fragment.sets);
    for (const fragment of all) for (const chain of fragment.chains) declareChain(out, chain);
    for (const fragment of all) {
      for (const chain of fragment.chains) {
        writeRules(out, chain, false);
        ruleCount += chain.rules.length;
      }
      for (const e of fragment.elements) {
        const id = elementId(e);
        const n = counts.get(id) ?? 0;
        counts.set(id, n + 1);
        if (n === 0) elements.push(e);
      }
    }
    out.push(...elementLines('add', elements));
    const wanted = new Set(all.flatMap((f) => f.chains.map((c) => c.name)));
    const staled: string[] = [];
    if (!replacesTable) {
      const wantedSets = new Set(all.flatMap((f) => f.sets.map((s) => s.name)));
      for (const old of this.services.values()) {
        for (const c of old.chains) if (!wanted.has(c.name)) staled.push(c.name);
        // The rules naming an affinity set were flushed with the table: it can go at once.
        for (const s of old.sets)
          if (!wantedSets.has(s.name)) out.push(`delete set ${NFT_TABLE} ${s.name}`);
      }
    }
    return {
      lines: out,
      wanted,
      staled,
      ruleCount,
      elementCounts: counts,
      commitServices: () => {
        this.services = services;
      },
    };
  }

  private partial(updates: ReadonlyMap<string, NftFragment | undefined>): Change {
    const counts = new Map(this.elementCounts);
    // Net change per element: one a Service port drops and another (or the same) keeps is
    // neither deleted nor added.
    const touched = new Map<string, { element: NftElement; before: number }>();
    const bump = (e: NftElement, by: 1 | -1): void => {
      const id = elementId(e);
      const n = counts.get(id) ?? 0;
      if (!touched.has(id)) touched.set(id, { element: e, before: n });
      if (n + by === 0) counts.delete(id);
      else counts.set(id, n + by);
    };
    const sets: string[] = [];
    const declared: string[] = [];
    const out: string[] = [];
    const flushed: string[] = [];
    const late: string[] = [];
    const wanted = new Set<string>();
    const staled: string[] = [];
    let ruleCount = this.ruleCount;
    for (const [key, next] of updates) {
      const old = this.services.get(key);
      for (const e of old?.elements ?? []) bump(e, -1);
      for (const e of next?.elements ?? []) bump(e, 1);
      if (next) writeSets(sets, next.sets);
      const oldChains = new Map((old?.chains ?? []).map((c) => [c.name, c]));
      for (const chain of next?.chains ?? []) {
        wanted.add(chain.name);
        const before = oldChains.get(chain.name);
        oldChains.delete(chain.name);
        if (before && sameRules(before, chain)) continue;
        // A stale chain wanted again is still there, flushed: adding it again is harmless.
        if (!before) declareChain(declared, chain);
        writeRules(out, chain, before !== undefined);
      }
      for (const c of oldChains.values()) {
        flushed.push(`flush chain ${NFT_TABLE} ${c.name}`);
        staled.push(c.name);
      }
      const nextSets = new Set((next?.sets ?? []).map((s) => s.name));
      for (const s of old?.sets ?? [])
        if (!nextSets.has(s.name)) late.push(`delete set ${NFT_TABLE} ${s.name}`);
      ruleCount += countRules(next) - countRules(old);
    }
    const removed: NftElement[] = [];
    const added: NftElement[] = [];
    for (const [id, { element, before }] of touched) {
      const after = counts.get(id) ?? 0;
      if (before > 0 && after === 0) removed.push(element);
      if (before === 0 && after > 0) added.push(element);
    }
    // Removed elements go first, added ones after the chains they point at exist; an affinity
    // set goes after the chains whose rules name it were flushed or rewritten.
    return {
      lines: [
        ...elementLines('delete', removed),
        ...sets,
        ...declared,
        ...out,
        ...elementLines('add', added),
        ...flushed,
        ...late,
      ],
      wanted,
      staled,
      ruleCount,
      elementCounts: counts,
      commitServices: () => {
        for (const [key, next] of updates) {
          if (next) this.services.set(key, next);
          else this.services.delete(key);
        }
      },
    };
  }
}

const countRules = (f: NftFragment | undefined): number =>
  (f?.chains ?? []).reduce((n, c) => n + c.rules.length, 0);

const sameRules = (a: NftChain, b: NftChain): boolean =>
  a.rules.length === b.rules.length && a.rules.every((r, i) => r === b.rules[i]);

function writeSets(out: string[], sets: readonly NftSet[]): void {
  for (const set of sets)
    out.push(`add ${isMap(set) ? 'map' : 'set'} ${NFT_TABLE} ${set.name} ${set.spec}`);
}

function declareChain(out: string[], chain: NftChain): void {
  const spec = NFT_BASE_CHAIN_SPECS[chain.name];
  out.push(`add chain ${NFT_TABLE} ${chain.name}${spec ? ` ${spec}` : ''}`);
}

function writeRules(out: string[], chain: NftChain, flush: boolean): void {
  if (flush) out.push(`flush chain ${NFT_TABLE} ${chain.name}`);
  for (const rule of chain.rules) out.push(`add rule ${NFT_TABLE} ${chain.name} ${rule}`);
}

/** One statement per set, so a thousand elements are one line for nft to parse, not a thousand. */
function elementLines(verb: 'add' | 'delete', elements: readonly NftElement[]): string[] {
  const bySet = new Map<string, string[]>();
  for (const e of elements) {
    const item = verb === 'add' && e.value !== undefined ? `${e.key} : ${e.value}` : e.key;
    const items = bySet.get(e.set) ?? [];
    items.push(item);
    bySet.set(e.set, items);
  }
  return [...bySet].map(
    ([set, items]) => `${verb} element ${NFT_TABLE} ${set} { ${items.join(' , ')} }`,
  );
}
