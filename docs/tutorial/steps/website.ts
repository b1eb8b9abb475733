// What every step shares: the Website type (mirroring website-crd.yaml), how to name it to the
// builder and the dynamic client, and how a step runs as a program.
import { pathToFileURL } from 'node:url';
import type { Condition, ObjectMeta } from '@skiff/api';
import { Manager, signalHandler, type CustomKind } from '@skiff/client';
import { connect, installCrd } from '../../src/index.js';

export interface WebsiteSpec {
  /** Container image serving the site (default nginx:1.27). */
  image: string;
  replicas: number;
  /** Port the container listens on, and the Service's port (default 80). */
  port: number;
}

export interface WebsiteStatus {
  /** The metadata.generation this status describes. */
  observedGeneration?: number;
  readyReplicas?: number;
  url?: string;
  conditions?: Condition[];
}

export interface Website {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: WebsiteSpec;
  status?: WebsiteStatus;
}

/** How the builder and the dynamic client name the kind. */
export const websiteKind = {
  group: 'tutorial.skiff.dev',
  version: 'v1',
  resource: 'websites',
  kind: 'Website',
} as const satisfies CustomKind;

export const CRD_FILE = new URL('../website-crd.yaml', import.meta.url);

/** Labels on everything made for one Website; the Deployment selects its pods by them. */
export function labelsFor(site: Readonly<Website>): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'website',
    'app.kubernetes.io/instance': site.metadata.name ?? '',
  };
}

/** Deep equality of JSON values, whatever the order of their keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return Object.fromEntries(
    entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]),
  );
}

/** True when this module is the program node was asked to run (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === moduleUrl;
}

/**
 * Runs a step as a program: connect, install the CRD, let `setup` add its controller, and run
 * the manager until Ctrl-C (SIGINT) or SIGTERM, which drain the queue and exit.
 */
export async function runStep(name: string, setup: (manager: Manager) => void): Promise<void> {
  const client = await connect();
  await installCrd(client, CRD_FILE);
  const manager = new Manager({ client, log: (message) => console.log(`[${name}] ${message}`) });
  setup(manager);
  console.log(`[${name}] running; create a Website (kubectl apply -f docs/tutorial/website.yaml)`);
  await manager.start(signalHandler());
  client.close();
}
