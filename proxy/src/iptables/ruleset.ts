// What is programmed in iptables, and the `iptables-restore --noflush` input that takes it to
// the next state. --noflush leaves everyone else's chains alone; a chain this input declares
// (`:KUBE-SVC-… - [0:0]`) is created or flushed, so each sync declares the dispatch chains and
// the chains it rewrites, and deletes (`-X`) the chains no longer wanted. A partial sync
// rewrites the dispatch chains and only the changed Service ports' own chains.
import type { RuleContext } from '../model/context.js';
import type { SyncKind } from '../model/sync-kind.js';
import { iptablesBaseChains } from './base.js';
import type { IptablesChain, IptablesFragment } from './fragment.js';

export interface IptablesTransaction {
  readonly text: string;
  /** Rules per table once committed (kubeproxy_sync_proxy_rules_iptables_total{table}). */
  readonly ruleCount: { readonly nat: number; readonly filter: number };
  commit(): void;
}

/**
 * Per-Service chains (KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-SEP-) found in the nat table
 * (iptables-save) by the first sync: what a previous run left behind.
 */
export type ExistingChains = ReadonlySet<string>;

const declare = (name: string): string => `:${name} - [0:0]`;
const lines = (chain: string, rules: readonly string[]): string[] =>
  rules.map((r) => `-A ${chain} ${r}`);

export class IptablesRuleset {
  private services = new Map<string, IptablesFragment>();

  transaction(
    kind: SyncKind,
    ctx: RuleContext,
    updates: ReadonlyMap<string, IptablesFragment | undefined>,
    existing: ExistingChains = new Set(),
  ): IptablesTransaction {
    const full = kind !== 'partial';
    const services = full ? new Map<string, IptablesFragment>() : new Map(this.services);
    for (const [key, fragment] of updates) {
      if (fragment) services.set(key, fragment);
      else services.delete(key);
    }
    const all = [...services.values()];
    const base = iptablesBaseChains(ctx);

    // Own chains to write: all of them on a full sync, the changed ports' otherwise.
    const write: IptablesChain[] = full
      ? all.flatMap((f) => f.natChains)
      : [...updates.values()].flatMap((f) => f?.natChains ?? []);
    const wanted = new Set(all.flatMap((f) => f.natChains.map((c) => c.name)));
    const stale = new Set<string>();
    const before = full
      ? [...this.services.values()]
      : [...updates.keys()].map((k) => this.services.get(k));
    for (const f of before)
      for (const c of f?.natChains ?? []) if (!wanted.has(c.name)) stale.add(c.name);
    if (kind === 'initial') for (const name of existing) if (!wanted.has(name)) stale.add(name);

    const natServices = [
      ...all.flatMap((f) => f.natServices),
      // Last: anything else addressed to a node-port address may be a node port.
      ...ctx.nodePortAddresses.map(
        (ip) => `-m comment --comment "kubernetes service nodeports" -d ${ip}/32 -j KUBE-NODEPORTS`,
      ),
    ];
    const natNodePorts = all.flatMap((f) => f.natNodePorts);
    const filterServices = all.flatMap((f) => f.filterServices);
    const filterExternal = all.flatMap((f) => f.filterExternalServices);

    const filter = [
      '*filter',
      declare('KUBE-SERVICES'),
      declare('KUBE-EXTERNAL-SERVICES'),
      ...(full ? base.filter.map((c) => declare(c.name)) : []),
      ...lines('KUBE-SERVICES', filterServices),
      ...lines('KUBE-EXTERNAL-SERVICES', filterExternal),
      ...(full ? base.filter.flatMap((c) => lines(c.name, c.rules)) : []),
      'COMMIT',
    ];
    const nat = [
      '*nat',
      declare('KUBE-SERVICES'),
      declare('KUBE-NODEPORTS'),
      ...(full ? base.nat.map((c) => declare(c.name)) : []),
      ...write.map((c) => declare(c.name)),
      ...[...stale].map(declare),
      ...lines('KUBE-SERVICES', natServices),
      ...lines('KUBE-NODEPORTS', natNodePorts),
      ...(full ? base.nat.flatMap((c) => lines(c.name, c.rules)) : []),
      ...write.flatMap((c) => lines(c.name, c.rules)),
      ...[...stale].map((name) => `-X ${name}`),
      'COMMIT',
    ];
    const ownNatRules = all.reduce(
      (n, f) => n + f.natChains.reduce((m, c) => m + c.rules.length, 0),
      0,
    );
    const baseRules = (chains: IptablesChain[]): number =>
      chains.reduce((n, c) => n + c.rules.length, 0);
    return {
      text: `${[...filter, ...nat].join('\n')}\n`,
      ruleCount: {
        nat: natServices.length + natNodePorts.length + ownNatRules + baseRules(base.nat),
        filter: filterServices.length + filterExternal.length + baseRules(base.filter),
      },
      commit: () => {
        this.services = services;
      },
    };
  }
}
