// The networking issue's tests on a real lab: `skiff lab up` (docs/lab.md's steps, run on network
// namespaces) with three nodes and host-gw, and with two nodes and VXLAN; pods are real
// containers of each node's runtime, and every request is made from inside one (CRI ExecSync, as
// crictl exec) or from the control plane VM. Root only: skipped where namespaces cannot be made.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, Service } from '@skiff/api';
import { eventually } from '@skiff/api/testing';
import { canUseNetns } from '../testing/netns-process.js';
import { inNetns } from './host-commands.js';
import { controlPlaneOf, findVm } from './lab-record.js';
import { readLabSteps } from './lab-steps.js';
import { leftovers, runSkiff, startTestLab, type TestLab } from './testing/lab-harness.js';
import { isAlive, startDaemonOnVm } from './vm-shell.js';

const canRun = canUseNetns([
  ['nsenter', '--version'],
  ['bridge', '-V'],
  ['getent', '--version'],
]);
const LAB_START_MS = 600_000;
const EXTERNAL = { name: 'example.lab.test', ip: '192.0.2.7' };

/** A busybox pod pinned to `node` (the scheduler is not under test here). */
function podOn(node: string, name: string, spec: Partial<NonNullable<Pod['spec']>>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name.replace(/-\d+$/, '') } },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'main',
          image: 'skiff.local/busybox:latest',
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', '3600'],
        },
      ],
      ...spec,
    },
  };
}

/** A CGI script for busybox httpd: answers the address the request came from. */
const PEER_CGI = '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n';

/**
 * `httpd` answering `name` on 8080 (and `/cgi-bin/peer` with the caller's address), Ready while
 * `<flagDir>/ready` exists on its node.
 */
function webPod(node: string, name: string, flagDir: string): Pod {
  return podOn(node, name, {
    containers: [
      {
        name: 'main',
        image: 'skiff.local/busybox:latest',
        imagePullPolicy: 'IfNotPresent',
        command: [
          'sh',
          '-c',
          [
            `mkdir -p /www/cgi-bin && echo ${name} > /www/index.html`,
            `printf '${PEER_CGI}' > /www/cgi-bin/peer && chmod +x /www/cgi-bin/peer`,
            'exec httpd -f -p 8080 -h /www',
          ].join(' && '),
        ],
        readinessProbe: {
          exec: { command: ['test', '-f', '/flag/ready'] },
          periodSeconds: 1,
          failureThreshold: 1,
        },
        volumeMounts: [{ name: 'flag', mountPath: '/flag' }],
      },
    ],
    volumes: [{ name: 'flag', hostPath: { path: flagDir, type: 'DirectoryOrCreate' } }],
  });
}

function service(
  name: string,
  selector: string,
  type: 'ClusterIP' | 'NodePort' = 'ClusterIP',
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: {
      type,
      selector: { app: selector },
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

async function runningPod(lab: TestLab, name: string): Promise<Pod> {
  return eventually(
    `pod ${name} Running and Ready`,
    async () => {
      const pod = await lab.client.pods('default').get(name);
      const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      return pod.status?.phase === 'Running' && ready === true && pod;
    },
    { timeoutMs: 120_000, intervalMs: 200 },
  );
}

/** Whether `rules` name `ip` as a whole address (10.96.0.1 is not in 10.96.0.10). */
function mentions(rules: string, ip: string): boolean {
  return new RegExp(`(^|[^\\d.])${ip.replace(/\./g, '\\.')}([^\\d.]|$)`, 'm').test(rules);
}

/** One HTTP GET of argv[1] with node's fetch, its body on stdout. */
const FETCH =
  'fetch(process.argv[1], { signal: AbortSignal.timeout(3000) }).then((r) => r.text()).then((t) => process.stdout.write(t))';

// busybox's wget -T crashes (static build): `timeout` bounds it instead.
const wget = (url: string): string[] => ['timeout', '5', 'wget', '-q', '-O', '-', url];

describe.skipIf(!canRun)('a lab of three nodes, host-gw', { timeout: 180_000 }, () => {
  let lab: TestLab;
  let failed = false;
  let upstream: ChildProcess | undefined;
  let client: Pod;
  let web: Pod;
  let webService: Service;
  const track = (fn: () => Promise<void>) => async () => {
    try {
      await fn();
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  const flagDir = (): string => join(findVm(lab.record, 'node-2').dir, 'flags', 'web-1');

  beforeAll(async () => {
    lab = await startTestLab(['--nodes', '3', '--dns-upstream', '127.0.0.1']);
    // A failure from here on keeps the lab's logs.
    await track(async () => {
      const cp = controlPlaneOf(lab.record);
      const script = fileURLToPath(new URL('testing/upstream-dns.ts', import.meta.url));
      const [file = '', ...args] = inNetns(cp.netns, [
        process.execPath,
        '--conditions=source',
        '--import',
        'tsx',
        script,
        `${EXTERNAL.name}=${EXTERNAL.ip}`,
      ]);
      upstream = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => upstream?.stdout?.once('data', resolve));
      await mkdir(flagDir(), { recursive: true });
      await writeFile(join(flagDir(), 'ready'), '');
      webService = await lab.client.services('default').create(service('web', 'web', 'NodePort'));
      await lab.client.pods('default').create(webPod('node-2', 'web-1', flagDir()));
      // The client is made after the Service, so the kubelet gives it the Service's variables.
      await lab.client.pods('default').create(
        podOn('node-1', 'client', {
          volumes: [{ name: 'host-usr', hostPath: { path: '/usr', type: 'Directory' } }],
          containers: [
            {
              name: 'main',
              image: 'skiff.local/busybox:latest',
              imagePullPolicy: 'IfNotPresent',
              command: ['sleep', '3600'],
              volumeMounts: [{ name: 'host-usr', mountPath: '/host-usr', readOnly: true }],
            },
          ],
        }),
      );
      web = await runningPod(lab, 'web-1');
      client = await runningPod(lab, 'client');
    })();
  }, LAB_START_MS);

  afterAll(async () => {
    upstream?.kill('SIGTERM');
    await lab?.stop(failed);
  }, 180_000);

  it(
    'routes each other node’s podCIDR via its address (skiff lab exec)',
    track(async () => {
      const run = await runSkiff([
        'lab',
        'exec',
        'node-1',
        '--state-dir',
        lab.paths.dir,
        '--',
        'ip',
        'route',
      ]);
      expect(run.code).toBe(0);
      const [n2, n3] = ['node-2', 'node-3'].map((n) => findVm(lab.record, n));
      expect(run.output).toContain(`${n2?.podCIDR ?? ''} via ${n2?.ip ?? ''} dev eth0`);
      expect(run.output).toContain(`${n3?.podCIDR ?? ''} via ${n3?.ip ?? ''} dev eth0`);
    }),
  );

  it(
    'a pod on node-1 reaches a pod on node-2 by its IP, which sees the caller’s own pod IP',
    track(async () => {
      const peer = await lab.inPod(
        client,
        wget(`http://${web.status?.podIP ?? ''}:8080/cgi-bin/peer`),
      );
      // busybox httpd listens on IPv6 too: an IPv4 peer shows as v4-mapped.
      expect(peer.stdout).toBe(`[::ffff:${client.status?.podIP ?? ''}]\n`);
      expect(
        (await lab.inPod(client, wget(`http://${web.status?.podIP ?? ''}:8080/`))).stdout,
      ).toBe('web-1\n');
      // On podnet's fast path (decision 0023): its program on the node's uplink.
      const filters = await runSkiff([
        'lab',
        'exec',
        'node-2',
        '--state-dir',
        lab.paths.dir,
        '--',
        'tc',
        'filter',
        'show',
        'dev',
        'eth0',
        'ingress',
      ]);
      expect(filters.output).toContain('skiff_to_pods');
      // …and on the client pod's veth, put there by the runtime when it made the pod.
      const exec = (argv: string[]) =>
        runSkiff(['lab', 'exec', 'node-1', '--state-dir', lab.paths.dir, '--', ...argv]);
      const links = (await exec(['ip', '-o', 'link', 'show'])).output.split('\n');
      const podVeths = links
        .filter((line) => line.includes('alias skiff-sandbox:'))
        .map((line) => line.split(': ')[1]?.split('@')[0] ?? '');
      expect(podVeths.length).toBeGreaterThan(0);
      for (const veth of podVeths) {
        expect((await exec(['tc', 'filter', 'show', 'dev', veth, 'ingress'])).output).toContain(
          'skiff_to_nodes',
        );
      }
    }),
  );

  it(
    'a pod reaches a ClusterIP whose only endpoint is on another node',
    track(async () => {
      expect(
        (await lab.inPod(client, wget(`http://${webService.spec.clusterIP ?? ''}/`))).stdout,
      ).toBe('web-1\n');
    }),
  );

  it(
    'names resolve inside a pod: the Service by its full name and by the search path, an outside name by forwarding',
    track(async () => {
      // busybox has no getent: the host's, through its loader, from a read-only hostPath of /usr.
      // Time for glibc's own retries (5 s, twice): a lost UDP exchange costs 5 s, and one run
      // here lost two (10 s, the default exec limit) on a busy machine.
      const getent = (name: string): Promise<{ stdout: string; exitCode: number }> =>
        lab.inPod(
          client,
          [
            '/host-usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
            '--library-path',
            '/host-usr/lib/x86_64-linux-gnu',
            '/host-usr/bin/getent',
            'hosts',
            name,
          ],
          40,
        );
      const ip = webService.spec.clusterIP ?? '';
      expect((await getent('web.default.svc.cluster.local')).stdout).toMatch(
        new RegExp(`^${ip}\\s+web\\.default\\.svc\\.cluster\\.local`),
      );
      expect((await getent('web')).stdout).toMatch(new RegExp(`^${ip}\\s`));
      expect((await getent(EXTERNAL.name)).stdout).toMatch(
        new RegExp(`^${EXTERNAL.ip}\\s+${EXTERNAL.name}`),
      );
    }),
  );

  it(
    'gives the pod the environment variables of the Services made before it',
    track(async () => {
      const env = (await lab.inPod(client, ['env'])).stdout;
      expect(env).toContain(`WEB_SERVICE_HOST=${webService.spec.clusterIP ?? ''}\n`);
      expect(env).toContain('WEB_SERVICE_PORT=80\n');
      expect(env).toContain(`WEB_PORT=tcp://${webService.spec.clusterIP ?? ''}:80\n`);
    }),
  );

  it(
    'answers the NodePort on every node’s address',
    track(async () => {
      const nodePort = webService.spec.ports?.[0]?.nodePort ?? 0;
      for (const node of lab.record.vms.filter((v) => v.role === 'node')) {
        // From the control plane VM: a client outside the nodes, inside the lab.
        const got = lab.onVm('control-plane', [
          process.execPath,
          '-e',
          FETCH,
          `http://${node.ip}:${nodePort}/`,
        ]);
        expect([node.name, got.stdout]).toEqual([node.name, 'web-1\n']);
      }
    }),
  );

  it(
    'takes an endpoint whose readiness fails out of every node’s rules within 2 s',
    track(async () => {
      const podIP = web.status?.podIP ?? '';
      const nodes = lab.record.vms.filter((v) => v.role === 'node').map((v) => v.name);
      expect(nodes.every((n) => mentions(lab.rules(n), podIP))).toBe(true);
      // The next probe (1 s period) fails at most 1 s after the file goes; 2 s from there.
      await rm(join(flagDir(), 'ready'));
      const since = Date.now();
      await eventually(
        "web-1's address out of every node's rules",
        () => nodes.every((n) => !mentions(lab.rules(n), podIP)),
        { timeoutMs: 10_000 },
      );
      expect(Date.now() - since).toBeLessThan(3000);
      await writeFile(join(flagDir(), 'ready'), '');
      await eventually(
        "web-1's address back in every node's rules",
        () => nodes.every((n) => mentions(lab.rules(n), podIP)),
        { timeoutMs: 20_000 },
      );
    }),
  );

  it(
    'leaves no rules of a deleted Service',
    track(async () => {
      const gone = await lab.client.services('default').create(service('gone', 'web'));
      const ip = gone.spec.clusterIP ?? '';
      const nodes = lab.record.vms.filter((v) => v.role === 'node').map((v) => v.name);
      await eventually(
        "gone's ClusterIP in every node's rules",
        () => nodes.every((n) => mentions(lab.rules(n), ip)),
        { timeoutMs: 20_000 },
      );
      await lab.client.services('default').delete('gone');
      await eventually(
        "gone's ClusterIP out of every node's rules",
        () => nodes.every((n) => !mentions(lab.rules(n), ip)),
        { timeoutMs: 20_000 },
      );
    }),
  );

  it(
    'keeps serving while its proxy restarts, and the new proxy leaves no stale rules',
    track(async () => {
      const node = findVm(lab.record, 'node-1');
      const proxy = lab.record.processes.find((p) => p.vm === 'node-1' && p.name === 'proxy');
      expect(proxy).toBeDefined();
      const stale = await lab.client.services('default').create(service('stale', 'web'));
      const staleIP = stale.spec.clusterIP ?? '';
      await eventually(
        "stale's ClusterIP in node-1's rules",
        () => mentions(lab.rules('node-1'), staleIP),
        { timeoutMs: 20_000 },
      );
      process.kill(proxy?.pid ?? 0, 'SIGKILL');
      await eventually("node-1's proxy to exit", () => !isAlive(proxy?.pid ?? 0), {
        timeoutMs: 10_000,
      });
      // Deleted while no proxy watched: only the restarted one's first sync can remove it.
      await lab.client.services('default').delete('stale');
      const clusterIP = webService.spec.clusterIP ?? '';
      expect((await lab.inPod(client, wget(`http://${clusterIP}/`))).stdout).toBe('web-1\n');
      // Restarted with the doc's own command, as a user would on the VM.
      const step = (await readLabSteps()).find((s) => s.background === 'proxy');
      startDaemonOnVm(
        {
          record: lab.record,
          vm: node,
          paths: lab.paths,
          argv: ['sh', '-c', `exec ${step?.script ?? ''}`],
        },
        lab.paths.log('node-1', 'proxy-restarted'),
      );
      await eventually(
        "the restarted proxy to remove stale's rules",
        () => !mentions(lab.rules('node-1'), staleIP),
        { timeoutMs: 60_000 },
      );
      expect(mentions(lab.rules('node-1'), clusterIP)).toBe(true);
      expect((await lab.inPod(client, wget(`http://${clusterIP}/`))).stdout).toBe('web-1\n');
    }),
  );
});

describe.skipIf(!canRun)('a lab of two nodes, VXLAN', { timeout: 180_000 }, () => {
  let lab: TestLab;
  let failed = false;

  beforeAll(async () => {
    lab = await startTestLab(['--nodes', '2', '--routing', 'vxlan']);
  }, LAB_START_MS);

  afterAll(async () => {
    await lab?.stop(failed);
  }, 180_000);

  it('a pod on node-1 reaches a pod on node-2 by its IP through the overlay, unmasqueraded', async () => {
    try {
      const flags = join(findVm(lab.record, 'node-2').dir, 'flags', 'web-1');
      await mkdir(flags, { recursive: true });
      await writeFile(join(flags, 'ready'), '');
      await lab.client.pods('default').create(webPod('node-2', 'web-1', flags));
      await lab.client.pods('default').create(podOn('node-1', 'client', {}));
      const web = await runningPod(lab, 'web-1');
      const client = await runningPod(lab, 'client');
      expect(lab.onVm('node-1', ['ip', '-d', 'link', 'show', 'skiff.vxlan']).stdout).toContain(
        'vxlan id 1',
      );
      expect(
        (await lab.inPod(client, wget(`http://${web.status?.podIP ?? ''}:8080/`))).stdout,
      ).toBe('web-1\n');
      const peer = await lab.inPod(
        client,
        wget(`http://${web.status?.podIP ?? ''}:8080/cgi-bin/peer`),
      );
      // busybox httpd listens on IPv6 too: an IPv4 peer shows as v4-mapped.
      expect(peer.stdout).toBe(`[::ffff:${client.status?.podIP ?? ''}]\n`);
    } catch (err) {
      failed = true;
      throw err;
    }
  });

  it('lab down after a crash (every component killed) removes its namespaces, the host’s leg, processes, pods and mounts', async () => {
    const sandboxes = await lab.sandboxes();
    expect(sandboxes.length).toBeGreaterThan(0);
    // As after a power cut of the "VMs": only the runtimes, started again, can remove the pods.
    for (const p of lab.record.processes) if (isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
    await eventually('every component gone', () =>
      lab.record.processes.every((p) => !isAlive(p.pid)),
    );
    await lab.stop(failed);
    expect(await leftovers(lab.record, lab.paths, sandboxes)).toEqual([]);
  });
});
