// The verbs as a user runs them: a `skiff` process (through main.ts), its exit code and streams —
// finding the cluster through KUBECONFIG-less flags, reading -f - from stdin, and failing with
// kubectl's words when there is no cluster to talk to.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerbCluster, type VerbCluster } from '../kubectl/testing/verb-harness.js';
import { tempDir } from '../testing/skiff-process.js';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

function skiff(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin = '',
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main, ...args], {
    env,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

let cluster: VerbCluster;
beforeAll(async () => {
  cluster = await startVerbCluster();
});
afterAll(() => cluster.close());

describe('skiff verbs as processes', () => {
  it('applies from stdin with the cluster named by KUBECONFIG, then gets it', async () => {
    const env = { ...process.env, KUBECONFIG: cluster.kubeconfig };
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: piped }\ndata: { a: b }\n';
    expect(await skiff(['apply', '-f', '-'], env, manifest)).toEqual({
      code: 0,
      out: 'configmap/piped serverside-applied\n',
      err: '',
    });
    expect(await skiff(['get', 'cm', 'piped', '-o', 'name'], env)).toEqual({
      code: 0,
      out: 'configmap/piped\n',
      err: '',
    });
  });

  it('says there is no cluster to talk to, and exits 1', async () => {
    const home = await tempDir();
    const ran = await skiff(['get', 'pods', '--kubeconfig', join(home, 'missing')], {
      ...process.env,
      HOME: home,
    });
    expect(ran.code).toBe(1);
    expect(ran.err).toMatch(/^error: kubeconfig .*missing: cannot read it\n$/);
  });

  it('waits out its retries against an apiserver that refuses connections, then exits 1 — never 0 in between', async () => {
    // A port that was free a moment ago: nothing listens, so every attempt is refused and the
    // client sleeps between them on its (unref'd) real clock.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const home = await tempDir();
    const kubeconfig = join(home, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: c, cluster: {server: "http://127.0.0.1:${closed}"}}]`,
        'users: [{name: u, user: {}}]',
        'contexts: [{name: c, context: {cluster: c, user: u}}]',
        'current-context: c',
      ].join('\n'),
    );
    const ran = await skiff(['get', 'pods', '--kubeconfig', kubeconfig], {
      ...process.env,
      HOME: home,
    });
    expect(ran.code).toBe(1);
    expect(ran.err).toMatch(/ECONNREFUSED|refused/);
  });

  it('lists the verbs in skiff help', async () => {
    const ran = await skiff(['help'], process.env);
    for (const verb of ['get', 'apply', 'delete', 'rollout', 'explain', 'new'])
      expect(ran.out).toMatch(new RegExp(`\\n  ${verb} `));
  });
});
