// Names under `pod.<zone>`: `<a-b-c-d>.<ns>.pod` answers the address its first label spells.
// This is CoreDNS's `pods insecure` mode (what kubeadm configures): the address is not checked
// against a running pod, so no pod informer is needed; `<ns>.pod` is an empty non-terminal.
import { addressRecords, noData, nxDomain, orNoData, positive } from './answers.js';
import type { ZoneContext } from './context.js';
import type { ClusterAnswer } from './resolution.js';
import { ipFromDashed } from '../names.js';

/** `labels` are the name's labels left of `pod.<zone>`, left to right. */
export function resolvePodName(ctx: ZoneContext, labels: readonly string[]): ClusterAnswer {
  const [dashed, namespace, ...more] = labels;
  if (dashed === undefined || (namespace === undefined && more.length === 0))
    return noData(ctx.soa);
  const ip = more.length === 0 ? ipFromDashed(dashed) : undefined;
  if (ip === undefined) return nxDomain(ctx.soa);
  const { question, config } = ctx;
  return orNoData(
    positive(addressRecords(question.name, [ip], question.type, config.ttl)),
    ctx.soa,
  );
}
