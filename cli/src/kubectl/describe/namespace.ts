// kubectl describe namespace: status and conditions, then its resource quotas and limit ranges
// when the server serves them (skiff does not: kubectl then leaves both sections out).
import type { Namespace } from '@skiff/api';
import { isNotFound, type Unstructured } from '@skiff/client';
import { core, typed, type DescribeContext, type Describer } from './context.js';
import { printAnnotations, printLabels, rfc1123z } from './fields.js';
import { tabbed } from './writer.js';

export const describeNamespace: Describer = async (ctx, _namespace, name) => {
  const ns = await typed<Namespace>(ctx, core('namespaces'), '').get(name);
  const quotas = await servedList(ctx, 'resourcequotas', name);
  const limitRanges = await servedList(ctx, 'limitranges', name);
  return tabbed((w) => {
    w.write(0, `Name:\t${ns.metadata.name ?? ''}\n`);
    printLabels(w, 'Labels', ns.metadata.labels);
    printAnnotations(w, 'Annotations', ns.metadata.annotations);
    w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
    const conditions = ns.status?.conditions ?? [];
    if (conditions.length > 0) {
      w.write(0, 'Conditions:\n');
      w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(1, '----\t------\t------------------\t------\t-------\n');
      for (const c of conditions)
        w.write(
          1,
          `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`,
        );
    }
    // Quotas and limit ranges in detail are not served by skiff; an empty list reads as kubectl's.
    if (quotas) w.write(0, quotas.length === 0 ? '\nNo resource quota.\n' : '\nResource Quotas\n');
    if (limitRanges)
      w.write(0, limitRanges.length === 0 ? '\nNo LimitRange resource.\n' : '\nResource Limits\n');
  });
};

/** The list, or undefined when the server does not serve the resource (kubectl's NotFound). */
async function servedList(
  ctx: DescribeContext,
  resource: string,
  namespace: string,
): Promise<Unstructured[] | undefined> {
  try {
    return (await typed<Unstructured>(ctx, core(resource), namespace).list()).items;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
