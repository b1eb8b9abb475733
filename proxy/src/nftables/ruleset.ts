// What is programmed in the `ip kube-proxy` table, and the `nft -f` transaction that takes it to
// the next state. A full transaction rewrites everything (on the first sync it deletes the table
// first, so no stale rule survives a restart); a partial one touches only the changed Service
// ports: their chains are flushed and rewritten, their map elements deleted and added. Elements
// are counted, because Service ports share some (two ports of one Service, one cluster IP).
// The state moves only when the caller commits, i.e. after nft accepted the transaction.
import type { SyncKind } from '../model/sync-kind.js';
import { NFT_BASE_CHAIN_SPECS, NFT_TABLE } from './base.js';
import type { NftChain, NftElement, NftFragment, NftSet } from './fragment.js';

export interface NftTransaction {
  readonly text: string;
  /** Rules and set/map elements programmed once this transaction is committed. */
  readonly ruleCount: number;
  readonly elementCount: number;
  commit(): void;
}

const elementId = (e: NftElement): string => `${e.set}\u0000${e.key}\u0000${e.value ?? ''}`;
const isMap = (set: NftSet): boolean => set.spec.includes(': verdict');

export class NftRuleset {
  private services = new Map<string, NftFragment>();
  private elementCounts = new Map<string, number>();
  private ruleCount = 0;

  /** Service port keys programmed now. */
  programmedKeys(): IterableIterator<string> {
    return this.services.keys();
  }

  /**
   * `updates` holds, for a partial sync, the changed Service ports (undefined: removed); for a
   * full or initial sync, every Service port there should be.
   */
  transaction(
    kind: SyncKind,
    base: NftFragment,
    updates: ReadonlyMap<string, NftFragment | undefined>,
  ): NftTransaction {
    return kind === 'partial' ? this.partial(updates) : this.full(kind, base, updates);
  }

  private full(
    kind: SyncKind,
    base: NftFragment,
    desired: ReadonlyMap<string, NftFragment | undefined>,
  ): NftTransaction {
    const out: string[] = [`add table ${NFT_TABLE} { comment "rules for kube-proxy" ; }`];
    if (kind === 'initial') {
      out.push(`delete table ${NFT_TABLE}`, out[0] ?? '');
    } else {
      // Rules go, affinity sets keep what they learned; dispatch maps are refilled below.
      out.push(`flush table ${NFT_TABLE}`);
    }
    for (const set of base.sets) {
      out.push(`add ${isMap(set) ? 'map' : 'set'} ${NFT_TABLE} ${set.name} ${set.spec}`);
      if (kind !== 'initial')
        out.push(`flush ${isMap(set) ? 'map' : 'set'} ${NFT_TABLE} ${set.name}`);
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
    writeElements(out, 'add', elements);
    if (kind !== 'initial') {
      const wanted = new Set(all.flatMap((f) => f.chains.map((c) => c.name)));
      const wantedSets = new Set(all.flatMap((f) => f.sets.map((s) => s.name)));
      for (const old of this.services.values()) {
        for (const c of old.chains)
          if (!wanted.has(c.name)) out.push(`delete chain ${NFT_TABLE} ${c.name}`);
        for (const s of old.sets)
          if (!wantedSets.has(s.name)) out.push(`delete set ${NFT_TABLE} ${s.name}`);
      }
    }
    return {
      text: `${out.join('\n')}\n`,
      ruleCount,
      elementCount: elements.length,
      commit: () => {
        this.services = services;
        this.elementCounts = counts;
        this.ruleCount = ruleCount;
      },
    };
  }

  private partial(updates: ReadonlyMap<string, NftFragment | undefined>): NftTransaction {
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
    const late: string[] = [];
    let ruleCount = this.ruleCount;
    for (const [key, next] of updates) {
      const old = this.services.get(key);
      for (const e of old?.elements ?? []) bump(e, -1);
      for (const e of next?.elements ?? []) bump(e, 1);
      if (next) writeSets(sets, next.sets);
      const oldChains = new Map((old?.chains ?? []).map((c) => [c.name, c]));
      for (const chain of next?.chains ?? []) {
        const before = oldChains.get(chain.name);
        oldChains.delete(chain.name);
        if (before && sameRules(before, chain)) continue;
        if (!before) declareChain(declared, chain);
        writeRules(out, chain, before !== undefined);
      }
      for (const c of oldChains.values()) late.push(`delete chain ${NFT_TABLE} ${c.name}`);
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
    // Removed elements go first (they may point at chains deleted at the end), added ones after
    // the chains they point at exist.
    const text = [
      ...elementLines('delete', removed),
      ...sets,
      ...declared,
      ...out,
      ...elementLines('add', added),
      ...late,
    ].join('\n');
    return {
      text: text ? `${text}\n` : '',
      ruleCount,
      elementCount: counts.size,
      commit: () => {
        for (const [key, next] of updates) {
          if (next) this.services.set(key, next);
          else this.services.delete(key);
        }
        this.elementCounts = counts;
        this.ruleCount = ruleCount;
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

function writeElements(
  out: string[],
  verb: 'add' | 'delete',
  elements: readonly NftElement[],
): void {
  out.push(...elementLines(verb, elements));
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
