// `skiff events` against a real apiserver, compared with kubectl 1.33's `events` on the same
// events (dated days ago, so both print the same ages): the listing, its filters and errors,
// and -w's first rows.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../kubectl/connection.js';
import {
  ago,
  apiRequest,
  kubectlBinary,
  startVerbCluster,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';
import { watchEvents } from './events.js';

const minor = '1.33';
const day = 24 * 3600 * 1000;
let cluster: VerbCluster;

const post = (path: string, body: unknown) => apiRequest(cluster, 'POST', path, body);

function event(namespace: string, name: string, fields: Record<string, unknown>): unknown {
  return {
    metadata: { name, namespace },
    involvedObject: { kind: 'Pod', apiVersion: 'v1', name: 'web-1', namespace },
    source: { component: 'kubelet' },
    type: 'Normal',
    count: 1,
    ...fields,
  };
}

beforeAll(async () => {
  cluster = await startVerbCluster();
  await post('/api/v1/namespaces', { metadata: { name: 'other' } });
  await post('/api/v1/namespaces', { metadata: { name: 'quiet' } });
  const events = [
    event('default', 'b-pulled', {
      reason: 'Pulled',
      message: 'Container image "nginx" already present',
      firstTimestamp: ago(9 * day),
      lastTimestamp: ago(9 * day),
    }),
    event('default', 'a-unhealthy', {
      type: 'Warning',
      reason: 'Unhealthy',
      message: 'Readiness probe failed:\nconnection refused',
      count: 4,
      firstTimestamp: ago(10 * day),
      lastTimestamp: ago(3 * day),
    }),
    event('default', 'c-scaled', {
      involvedObject: {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        name: 'web',
        namespace: 'default',
      },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-6d8f7 to 2',
      firstTimestamp: ago(12 * day),
      lastTimestamp: ago(12 * day),
    }),
    event('other', 'd-series', {
      reason: 'BackOff',
      type: 'Warning',
      message: 'Back-off restarting failed container',
      eventTime: new Date(Date.now() - 11 * day).toISOString().replace('Z', '000Z'),
      series: {
        count: 7,
        lastObservedTime: new Date(Date.now() - 2 * day).toISOString().replace('Z', '000Z'),
      },
      reportingComponent: 'kubelet',
      reportingInstance: 'node-a',
      action: 'Restarting',
    }),
  ];
  for (const e of events) {
    const ns = (e as { metadata: { namespace: string } }).metadata.namespace;
    await post(`/api/v1/namespaces/${ns}/events`, e);
  }
});

afterAll(() => cluster.close());

describe.skipIf(kubectlBinary(minor) === undefined)(
  `skiff events prints what kubectl ${minor} prints`,
  () => {
    it.each(
      [
        ['events'],
        ['events', '-A'],
        ['events', '-A', '--types', 'Warning'],
        ['events', '--types=warning,Normal'],
        ['events', '--for', 'pod/web-1'],
        ['events', '--for', 'deployments.apps/web', '--no-headers'],
        ['events', '-n', 'quiet'],
        ['events', '--types', 'Bogus'],
        ['events', '--for', 'pod'],
        ['events', '--for', 'nosuchtype/x'],
        ['events', '-o', 'yaml'],
        ['events', '-A', '-o', 'json'],
      ].map((args) => [args.join(' '), args]),
    )('%s', async (_, args) => {
      const [skiff, kubectl] = await Promise.all([
        cluster.skiff(...args),
        cluster.kubectl(minor, ...args),
      ]);
      expect(skiff.out).toBe(kubectl.out);
      expect(skiff.err).toBe(kubectl.err);
      expect(skiff.code).toBe(kubectl.code);
    });

    it('-w prints the events there are, then each new one as it comes', async () => {
      const rowsWanted = 3;
      const kubectl = kubectlWatch(['events', '-w', '-A', '--types', 'Normal'], rowsWanted);
      const conn = await connect({ kubeconfig: cluster.kubeconfig });
      const stop = new AbortController();
      let text = '';
      const out = new Writable({
        write(chunk: Buffer, _enc, done) {
          text += chunk.toString();
          if (text.split('\n').length > rowsWanted + 1) stop.abort();
          done();
        },
      });
      const watching = watchEvents(conn, {
        namespace: undefined,
        fieldSelector: undefined,
        wanted: (e) => e.type === 'Normal',
        rows: { allNamespaces: true, headers: true },
        out,
        signal: stop.signal,
      });
      await expect.poll(() => text.split('\n').length, { timeout: 20_000 }).toBeGreaterThan(2);
      await post(
        '/api/v1/namespaces/quiet/events',
        event('quiet', 'e-new', {
          reason: 'Killing',
          message: 'Stopping container nginx',
          firstTimestamp: ago(5 * day),
          lastTimestamp: ago(5 * day),
        }),
      );
      await watching;
      conn.close();
      expect(text).toBe(await kubectl);
    }, 60_000);
  },
);

/** kubectl's stdout once it has printed `rows` rows after its header; then it is stopped. */
function kubectlWatch(args: string[], rows: number): Promise<string> {
  const binary = kubectlBinary(minor) ?? 'kubectl';
  const child = spawn(binary, ['--kubeconfig', cluster.kubeconfig, ...args], {
    env: { ...process.env, HOME: cluster.dir, KUBECONFIG: join(cluster.dir, 'none') },
  });
  let text = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.split('\n').length > rows + 1) {
        child.kill();
        resolve(text);
      }
    });
    child.on('error', reject);
  });
}
