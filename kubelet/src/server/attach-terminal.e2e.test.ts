// End to end: `kubectl run -i/-it` and `kubectl attach -it` (real kubectl: 1.27 over SPDY, 1.33
// over WebSocket) → a real apiserver → the kubelet's /attach → a real `skiff runtime` process's
// streaming server → conmon's attach socket → the container's own stdin and terminal. Pods made by
// `kubectl run -i` have stdin and stdinOnce: the piped input ends, the container's stdin closes,
// and kubectl returns the container's exit code. With -t kubectl wants a terminal of its own:
// `script` gives it one (a pty), as a person's shell would. Needs root (skipped with a warning
// outside CI).
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pollUntil, realClock, type Pod } from '@skiff/api';
import { findKubectl } from '@skiff/apiserver/testing';
import type { Client } from '@skiff/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiAndRuntime, startLoopbackKubelet } from '../testing/api-and-runtime.js';
import { realRuntimeUnavailable } from '../testing/skiff-runtime-process.js';

const why = realRuntimeUnavailable();
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (why !== undefined && !ci) console.warn(`skipping the attach end-to-end test: ${why}`);

const kubectlPath = findKubectl();
const kubectlDir = kubectlPath === undefined ? '' : dirname(realpathSync(kubectlPath));
/** One kubectl that attaches over SPDY, one over WebSocket (v5). */
const VERSIONS = ['1.27', '1.33'].filter((v) => existsSync(join(kubectlDir, `kubectl.${v}`)));

const NODE = 'attach-e2e';
const BUSYBOX = 'skiff.local/busybox:latest';
const ROWS = 37;
const COLUMNS = 111;
/** What kubectl prints once it is attached with a TTY. */
const ATTACHED = "If you don't see a command prompt, try pressing enter.";
/**
 * Typed into the container's shell: prints its terminal size once kubectl's resize has arrived.
 * kubectl sends the size on the resize stream and the typed line on stdin, two streams with no
 * order between them, so the shell may read the line first; it asks again for up to 10 s.
 */
const AWAIT_SIZE = `for i in $(seq 1 100); do s=$(stty size); [ "$s" = "${ROWS} ${COLUMNS}" ] && break; sleep 0.1; done; echo "size=$s"`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end, within 60 s. With `input` it gets that on its stdin (closed
 * after); with `typeAfter`, it runs in a pty (script) and `typeAfter.input` is typed once
 * `typeAfter.seen` shows, as a person would.
 */
function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin: { readonly input: string } | { readonly seen: string; readonly typed: string },
): Promise<Run> {
  const inPty = 'seen' in stdin;
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = inPty
      ? // The pty gets a size, as a person's terminal has one; kubectl sends it on.
        spawn(
          'script',
          ['-qec', `stty rows ${ROWS} cols ${COLUMNS}; exec ${quoted}`, '/dev/null'],
          {
            env,
          },
        )
      : spawn(command, args, { env });
    let stdout = '';
    let stderr = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (inPty && !typed && stdout.includes(stdin.seen)) {
        typed = true;
        child.stdin.write(stdin.typed);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${quoted} did not end in 60 s; stdout ${stdout}; stderr ${stderr}`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (!inPty) child.stdin.end(stdin.input);
  });
}

describe.skipIf(why !== undefined && !ci)('kubectl run -i/-it and attach -it', () => {
  let client: Client;
  let apiUrl = '';
  let home = '';
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (why !== undefined) throw new Error(`${why}; CI must provide it`);
    const started = await startApiAndRuntime('skiff-attach-e2e-', cleanups);
    ({ apiUrl, client } = started);
    await startLoopbackKubelet(started, NODE, cleanups);
    home = await mkdtemp(join(tmpdir(), 'skiff-attach-kubectl-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, 120_000);

  /** No kubeconfig at all (HOME is empty), so kubectl reads only its flags. */
  function kubectlEnv(): NodeJS.ProcessEnv {
    const { KUBECONFIG: _unused, ...env } = process.env;
    return { ...env, HOME: home };
  }

  function kubectl(
    version: string,
    args: readonly string[],
    stdin: Parameters<typeof run>[3],
  ): Promise<Run> {
    const path = join(kubectlDir, `kubectl.${version}`);
    return run(path, ['--server', apiUrl, ...args], kubectlEnv(), stdin);
  }

  /** `kubectl run` of busybox on this node (no scheduler here: the pod names its node). */
  function runArgs(name: string, flag: '-i' | '-it', command: readonly string[]): string[] {
    return [
      'run',
      name,
      flag,
      '--restart=Never',
      `--image=${BUSYBOX}`,
      '--image-pull-policy=IfNotPresent',
      `--overrides=${JSON.stringify({ apiVersion: 'v1', spec: { nodeName: NODE } })}`,
      '--',
      ...command,
    ];
  }

  async function runningPod(name: string): Promise<void> {
    await client.pods('default').create({
      metadata: { name },
      spec: {
        nodeName: NODE,
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh'],
            stdin: true,
            tty: true,
          },
        ],
      },
    });
    let last: Pod | undefined;
    const held = await pollUntil(
      async () => {
        last = await client.pods('default').get(name);
        return last.status?.phase === 'Running';
      },
      200,
      { clock: realClock, signal: AbortSignal.timeout(60_000) },
    );
    if (!held) throw new Error(`pod ${name} did not run: ${JSON.stringify(last?.status)}`);
  }

  describe.each(VERSIONS)('kubectl %s', (version) => {
    const suffix = version.replace('.', '-');

    it('run -i: piped input reaches the container, whose stdin closes at its end (stdinOnce)', async () => {
      const result = await kubectl(
        version,
        runArgs(`piped-${suffix}`, '-i', [
          'sh',
          '-c',
          'while read line; do echo "got:$line"; done; echo stdin-closed; exit 4',
        ]),
        { input: 'one\ntwo\n' },
      );
      expect(result.stdout, JSON.stringify(result)).toContain('got:one\ngot:two\nstdin-closed\n');
      // kubectl run -i with --restart=Never returns the container's exit code.
      expect(result.code).toBe(4);
    }, 90_000);

    it('run -it: a terminal in the container, typed into through kubectl', async () => {
      const result = await kubectl(version, runArgs(`tty-${suffix}`, '-it', ['sh']), {
        seen: ATTACHED,
        typed: `tty; ${AWAIT_SIZE}; echo "[$((6*7))]"; exit 3\n`,
      });
      expect(result.stdout, JSON.stringify(result)).toMatch(/\/dev\/pts\/\d+/);
      expect(result.stdout).toContain('[42]');
      // The container's terminal has the size of kubectl's own.
      expect(result.stdout).toContain(`size=${ROWS} ${COLUMNS}\r`);
      expect(result.code).toBe(3);
    }, 90_000);

    it('attach -it: the running container terminal, typed into', async () => {
      const name = `shell-${suffix}`;
      await runningPod(name);
      const result = await kubectl(version, ['attach', '-it', name], {
        seen: ATTACHED,
        typed: `echo "attached [$((6*7))]"; tty; ${AWAIT_SIZE}; exit\n`,
      });
      expect(result.stdout, JSON.stringify(result)).toContain('attached [42]');
      expect(result.stdout).toMatch(/\/dev\/pts\/\d+/);
      expect(result.stdout).toContain(`size=${ROWS} ${COLUMNS}\r`);
    }, 90_000);
  });
});
