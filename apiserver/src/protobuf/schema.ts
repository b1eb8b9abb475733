// The Kubernetes protobuf messages as one protobufjs Root, and which message encodes which
// apiVersion/kind. Built once, on first use; every codec in this folder reads from it.
import protobuf from 'protobufjs';
import { parseApiVersion } from '@skiff/api';
import { APIEXTENSIONS_V1_PROTO } from './definitions/apiextensions-v1.js';
import { APPS_V1_PROTO } from './definitions/apps-v1.js';
import { AUTOSCALING_V1_PROTO } from './definitions/autoscaling-v1.js';
import { COORDINATION_V1_PROTO } from './definitions/coordination-v1.js';
import { CORE_V1_PROTO } from './definitions/core-v1.js';
import { DISCOVERY_V1_PROTO } from './definitions/discovery-v1.js';
import { INTSTR_PROTO } from './definitions/intstr.js';
import { META_V1_PROTO } from './definitions/meta-v1.js';
import { RESOURCE_PROTO } from './definitions/resource.js';
import { RUNTIME_PROTO } from './definitions/runtime.js';

let built: protobuf.Root | undefined;

/**
 * Parsed on first use, not at import: most apiservers never meet a protobuf client (skiff's own
 * components and kubectl's usual requests speak JSON), and the parse costs every one of them
 * ~0.2 s of start-up and ~10 MB of RSS (skiff up's node Ready and idle memory, issue 14).
 */
function root(): protobuf.Root {
  if (built === undefined) {
    const parsed = new protobuf.Root();
    for (const text of [
      META_V1_PROTO,
      RUNTIME_PROTO,
      INTSTR_PROTO,
      RESOURCE_PROTO,
      CORE_V1_PROTO,
      APPS_V1_PROTO,
      COORDINATION_V1_PROTO,
      DISCOVERY_V1_PROTO,
      AUTOSCALING_V1_PROTO,
      APIEXTENSIONS_V1_PROTO,
    ]) {
      protobuf.parse(text, parsed, { keepCase: true });
    }
    parsed.resolveAll();
    built = parsed;
  }
  return built;
}

export const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** The protobuf package of each API group version skiff serves in protobuf. */
const packages: Readonly<Record<string, string>> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'coordination.k8s.io/v1': 'k8s.io.api.coordination.v1',
  'discovery.k8s.io/v1': 'k8s.io.api.discovery.v1',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
  'apiextensions.k8s.io/v1': 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1',
};

/** Kinds every group version carries (Kubernetes registers meta/v1's types in each of them). */
const metaKinds = new Set(['Status', 'DeleteOptions', 'WatchEvent']);

export function messageType(fullName: string): protobuf.Type {
  return root().lookupType(fullName);
}

const byKind = new Map<string, protobuf.Type | undefined>();

/**
 * The message of a top-level kind (an object with ObjectMeta, a list with ListMeta, or one of
 * meta/v1's Status, DeleteOptions, WatchEvent); undefined for everything protobuf does not carry:
 * custom resources, Tables, discovery documents.
 */
export function typeForKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  const key = `${apiVersion}/${kind}`;
  if (byKind.has(key)) return byKind.get(key);
  const type = lookupKind(apiVersion, kind);
  byKind.set(key, type);
  return type;
}

function lookupKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const { version } = parseApiVersion(apiVersion);
  if (metaKinds.has(kind)) return version === '' ? undefined : messageType(`${META}.${kind}`);
  const pkg = packages[apiVersion];
  if (!pkg) return undefined;
  const found = root().lookup(`${pkg}.${kind}`);
  if (!(found instanceof protobuf.Type)) return undefined;
  const metadata = found.fields.metadata?.resolvedType?.fullName;
  return metadata === `.${META}.ObjectMeta` || metadata === `.${META}.ListMeta` ? found : undefined;
}
