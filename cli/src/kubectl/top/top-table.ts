// kubectl top's printer (metricsutil.TopCmdPrinter): every cell tab-terminated, CPU as
// millicores (`250m`), memory as mebibytes (`64Mi`), a node's share of its allocatable as a
// whole percent, nodes whose kubelet gave no figures as <unknown>; sorted by name unless
// --sort-by cpu|memory (largest first).
import { ResourceQuantity, type ResourceList } from '@skiff/api';
import type { ContainerUsage, PodUsage, Usage } from './metrics.js';

export type SortBy = 'cpu' | 'memory' | undefined;

const cell = (value: string) => `${value}\t`;
const cpuText = (q: ResourceQuantity) => `${q.milliValue()}m`;
const memoryText = (q: ResourceQuantity) => `${Math.trunc(q.value() / (1024 * 1024))}Mi`;

function usageCells(usage: Usage, available?: ResourceList): string {
  let text = '';
  for (const [name, show] of [
    ['cpu', cpuText],
    ['memory', memoryText],
  ] as const) {
    const q = usage[name];
    text += cell(show(q));
    const total = available?.[name];
    if (total !== undefined) {
      const whole = ResourceQuantity.parse(total);
      const fraction = whole.isZero() ? 0 : (q.milliValue() / whole.milliValue()) * 100;
      text += cell(`${Math.trunc(fraction)}%`);
    }
  }
  return text;
}

function compare(sortBy: SortBy, a: Usage, b: Usage, byName: number): number {
  if (sortBy === 'cpu') return b.cpu.milliValue() - a.cpu.milliValue();
  if (sortBy === 'memory') return b.memory.value() - a.memory.value();
  return byName;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface NodeRow {
  readonly name: string;
  readonly usage?: Usage;
  readonly available: ResourceList;
}

export function nodeTable(rows: readonly NodeRow[], sortBy: SortBy, headers: boolean): string {
  const measured = rows.filter((r): r is NodeRow & { usage: Usage } => r.usage !== undefined);
  measured.sort((a, b) => compare(sortBy, a.usage, b.usage, byText(a.name, b.name)));
  let text = headers
    ? `${['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'].map(cell).join('')}\n`
    : '';
  for (const r of measured) text += `${cell(r.name)}${usageCells(r.usage, r.available)}\n`;
  for (const r of rows.filter((r) => r.usage === undefined))
    text += `${cell(r.name)}${cell('<unknown>').repeat(4)}\n`;
  return text;
}

export function podTotal(pod: PodUsage): Usage {
  return pod.containers.reduce<Usage>(
    (sum, c) => ({ cpu: sum.cpu.add(c.cpu), memory: sum.memory.add(c.memory) }),
    { cpu: ResourceQuantity.zero, memory: ResourceQuantity.zero },
  );
}

export interface PodTableOptions {
  readonly withNamespace: boolean;
  readonly containers: boolean;
  readonly headers: boolean;
  readonly sortBy: SortBy;
  readonly sum: boolean;
}

export function podTable(pods: readonly PodUsage[], o: PodTableOptions): string {
  const sorted = [...pods].sort((a, b) =>
    compare(
      o.sortBy,
      podTotal(a),
      podTotal(b),
      o.withNamespace
        ? byText(a.namespace, b.namespace) || byText(a.name, b.name)
        : byText(a.name, b.name),
    ),
  );
  let text = '';
  if (o.headers) {
    if (o.withNamespace) text += cell('NAMESPACE');
    if (o.containers) text += cell('POD');
    text += `${['NAME', 'CPU(cores)', 'MEMORY(bytes)'].map(cell).join('')}\n`;
  }
  const prefix = (p: PodUsage) => (o.withNamespace ? cell(p.namespace) : '');
  for (const p of sorted) {
    if (o.containers) {
      const containers: ContainerUsage[] = [...p.containers].sort((a, b) =>
        compare(o.sortBy, a, b, byText(a.name, b.name)),
      );
      for (const c of containers)
        text += `${prefix(p)}${cell(p.name)}${cell(c.name)}${usageCells(c)}\n`;
    } else {
      text += `${prefix(p)}${cell(p.name)}${usageCells(podTotal(p))}\n`;
    }
  }
  if (o.sum) {
    const columns = 3 + (o.withNamespace ? 1 : 0) + (o.containers ? 1 : 0);
    const total = pods.reduce<Usage>(
      (sum, p) => {
        const t = podTotal(p);
        return { cpu: sum.cpu.add(t.cpu), memory: sum.memory.add(t.memory) };
      },
      { cpu: ResourceQuantity.zero, memory: ResourceQuantity.zero },
    );
    text += `${cell('').repeat(columns - 2)}${cell('________')}${cell('________')}\n`;
    text += `${cell('').repeat(columns - 3)}${cell('')}${usageCells(total)}\n`;
  }
  return text;
}
