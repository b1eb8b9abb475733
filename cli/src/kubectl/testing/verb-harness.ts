// What the verbs' end-to-end tests share: a real apiserver (in this process, on a temp store) with
// a kubeconfig file for it, each skiff verb run in-process against it with its output captured,
// and the versioned kubectl binaries run against the same server, so a test can compare the two.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { findVersionedKubectl, startTestApiServer } from '@skiff/apiserver/testing';
import { kubectlVerbs } from '../../commands/kubectl-verbs.js';
import type { VerbCommand } from '../run-verb.js';

export interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface VerbCluster {
  readonly url: string;
  readonly kubeconfig: string;
  /** A temp dir for the test's files (manifests), removed by close(). */
  readonly dir: string;
  /** `skiff <verb> …` against the cluster, in this process. */
  skiff(...args: string[]): Promise<Ran>;
  /** The kubectl binary of that minor version against the cluster, or undefined if absent. */
  kubectl(minor: string, ...args: string[]): Promise<Ran>;
  close(): Promise<void>;
}

export async function startVerbCluster(): Promise<VerbCluster> {
  const server = await startTestApiServer();
  const dir = await mkdtemp(join(tmpdir(), 'skiff-verbs-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigFor(server.url));
  return {
    url: server.url,
    kubeconfig,
    dir,
    skiff: (...args) => runVerb(['--kubeconfig', kubeconfig, ...args]),
    kubectl: (minor, ...args) => runKubectl(minor, dir, ['--kubeconfig', kubeconfig, ...args]),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function kubeconfigFor(server: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: ${server}
contexts:
- name: test
  context:
    cluster: test
    user: test
users:
- name: test
  user: {}
current-context: test
`;
}

/** Runs a verb (`get pods …`; flags may come first) in-process, output captured. */
async function runVerb(argv: string[]): Promise<Ran> {
  const name = argv.find((a, i) => !a.startsWith('-') && !argv[i - 1]?.startsWith('--kubeconfig'));
  const entry = name === undefined ? undefined : kubectlVerbs[name];
  if (!entry || name === undefined) throw new Error(`no skiff verb in ${argv.join(' ')}`);
  const command: VerbCommand = await entry.load();
  const out = collector();
  const err = collector();
  const rest = argv.filter((_, i) => i !== argv.indexOf(name));
  const code = await command.run(rest, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

function collector(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Where the versioned kubectl binaries are; undefined when kubectl is not installed. */
export function kubectlBinary(minor: string): string | undefined {
  return findVersionedKubectl(minor);
}

function runKubectl(minor: string, home: string, args: string[]): Promise<Ran> {
  const binary = kubectlBinary(minor);
  if (!binary) throw new Error(`kubectl.${minor} is not installed`);
  // HOME and KUBECONFIG of the test's own: a developer's ~/.kube must not change what it sees.
  const env = { ...process.env, HOME: home, KUBECONFIG: join(home, 'no-kubeconfig') };
  return new Promise((resolve) => {
    execFile(binary, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, out: stdout, err: stderr.replaceAll('kubectl', 'skiff') });
    });
  });
}

/**
 * A table's cells with ages blanked (`5s`, `3m12s`, `2d4h`: the two clients ask a second or two
 * apart) — one line per row, cells joined by `|` — so tables compare cell for cell.
 */
export function tableCells(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .split(/ {3,}/)
        .map((cell) => (/^(\d+[smhdy])+$/.test(cell.trim()) ? '<age>' : cell.trimEnd()))
        .join('|'),
    )
    .join('\n');
}

/**
 * A raw API request to the cluster, for what a verb test writes the way a kubelet or controller
 * would (a status, an event with old timestamps); answers the object, fails on a non-2xx answer.
 */
export async function apiRequest(
  cluster: Pick<VerbCluster, 'url'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${cluster.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A timestamp `ms` before now, to the second as the API writes them. */
export function ago(ms: number): string {
  return new Date(Date.now() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
