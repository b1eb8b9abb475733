// leader_election_master_status{name}: 1 while this process leads, 0 otherwise, named as
// client-go's so existing alerts ("no leader for kube-controller-manager") read it unchanged.
// Several electors in one process (or one per test) share the family on a registry.
import { Gauge, register as globalRegistry, type Registry } from 'prom-client';

const METRIC = 'leader_election_master_status';

const gauges = new WeakMap<Registry, Gauge<'name'>>();

function gaugeFor(registry: Registry): Gauge<'name'> {
  const existing = gauges.get(registry);
  // A registry that was cleared (tests do that) needs the family registered anew.
  if (existing && registry.getSingleMetric(METRIC) === existing) return existing;
  const gauge = new Gauge({
    name: METRIC,
    help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
    labelNames: ['name'] as const,
    registers: [registry],
  });
  gauges.set(registry, gauge);
  return gauge;
}

export interface LeaderMetrics {
  leading(isLeading: boolean): void;
}

export function leaderMetrics(name: string, registry: Registry = globalRegistry): LeaderMetrics {
  const gauge = gaugeFor(registry);
  gauge.set({ name }, 0);
  return { leading: (isLeading) => gauge.set({ name }, isLeading ? 1 : 0) };
}
