// Which describer kubectl uses for a kind: its own for the kinds skiff describes the way kubectl
// does, the generic one (every field, sorted) for everything else, events included.
import type { ResourceMapping } from '@skiff/client';
import type { DescribeContext, Describer } from './context.js';
import { describeGeneric } from './generic.js';
import { describeNamespace } from './namespace.js';
import { describeNode } from './node.js';
import { describePodNamed } from './pod-describer.js';
import { describeEndpoints, describeService } from './service.js';
import { describeDeployment, describeReplicaSet } from './workloads.js';

const byGroupKind: Readonly<Record<string, Describer>> = {
  '/Pod': describePodNamed,
  '/Node': describeNode,
  '/Namespace': describeNamespace,
  '/Service': describeService,
  '/Endpoints': describeEndpoints,
  'apps/ReplicaSet': describeReplicaSet,
  'apps/Deployment': describeDeployment,
};

export function describerFor(mapping: ResourceMapping): Describer {
  return (
    byGroupKind[`${mapping.group}/${mapping.kind}`] ??
    ((ctx: DescribeContext, namespace: string, name: string) =>
      describeGeneric(ctx, mapping, namespace, name))
  );
}
