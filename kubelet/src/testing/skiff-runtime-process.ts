// `skiff runtime` as a real child process for the kubelet's end-to-end test: the CLI run by tsx
// (as `pnpm skiff runtime` would run it), with its own socket, state root, bridge and pod CIDR
// in a temp dir, so it never meets the machine's own skiff0 or another test's runtime. Stopping
// it removes what a runtime leaves on the host by design (its bridge and NAT rules); the pods
// themselves are the kubelet's to remove, which is what the test checks.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { RemoteCri } from '../cri/index.js';
import type { E2eRuntime } from './e2e-runtime.js';
import { removeUnlessMounted } from './remove-temp-dir.js';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const skiffMain = join(repoRoot, 'cli', 'src', 'main.ts');

/** Its stop: SIGTERM, wait, remove the bridge and its NAT rules and (if all went well) the dir. */
export type SkiffRuntimeProcess = E2eRuntime;

/** Why this machine cannot run the kubelet's end-to-end test, or undefined. */
export function realRuntimeUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'real containers need root';
  const missing = ['/usr/bin/conmon', '/bin/busybox', '/usr/sbin/ip']
    .concat(existsSync('/usr/bin/crun') ? [] : ['/usr/sbin/runc'])
    .filter((p) => !existsSync(p) && !existsSync(p.replace('/usr/sbin/', '/sbin/')));
  if (missing.length > 0) {
    return `missing ${missing.join(', ')} (Debian: conmon crun busybox-static iproute2)`;
  }
  return undefined;
}

async function run(command: string, args: readonly string[]): Promise<string> {
  return (await execFileAsync(command, args)).stdout;
}

/** A 10.x.y.0/24 no route of this machine uses, so pods never shadow a real network. */
async function unusedPodCidr(): Promise<string> {
  const routes = JSON.parse(await run('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])) as {
    dst?: string;
  }[];
  for (;;) {
    const [a = 0, b = 0] = randomBytes(2);
    const cidr = `10.${200 + (a % 55)}.${b}.0/24`;
    if (!routes.some((r) => r.dst?.startsWith(cidr.slice(0, -4)))) return cidr;
  }
}

async function removeBridgeAndRules(bridge: string): Promise<void> {
  await execFileAsync('ip', ['link', 'delete', 'dev', bridge]).catch((err: unknown) => {
    // Gone already is fine; anything else is a leftover worth seeing.
    if (!String((err as { stderr?: unknown }).stderr).includes('Cannot find device')) throw err;
  });
  for (const table of ['nat', 'filter']) {
    const rules = (await run('iptables', ['-w', '-t', table, '-S'])).split('\n');
    for (const rule of rules.filter((r) => r.startsWith('-A ') && r.includes(`skiff ${bridge} `))) {
      const args = [...rule.replace(/^-A /, '-D ').matchAll(/"([^"]*)"|(\S+)/g)].map(
        (m) => m[1] ?? m[2] ?? '',
      );
      await run('iptables', ['-w', '-t', table, ...args]);
    }
  }
  if (existsSync('/usr/sbin/nft')) {
    await execFileAsync('nft', ['delete', 'table', 'ip', `skiff_${bridge}`]).catch(
      (err: unknown) => {
        if (!String((err as { stderr?: unknown }).stderr).includes('No such file')) throw err;
      },
    );
  }
}

export async function startSkiffRuntime(): Promise<SkiffRuntimeProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubelet-e2e-'));
  const socket = join(dir, 'runtime.sock');
  const bridge = `skk${randomBytes(4).toString('hex')}`;
  const logFile = join(dir, 'runtime.log');
  const out = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      skiffMain,
      'runtime',
      '--socket',
      socket,
      '--root',
      join(dir, 'root'),
      '--bridge',
      bridge,
      '--pod-cidr',
      await unusedPodCidr(),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cri = new RemoteCri(`unix://${socket}`);
  const log = (): Promise<string> => readFile(logFile, 'utf8');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`skiff runtime exited:\n${await log()}`);
    if (existsSync(socket)) {
      try {
        await cri.version();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
    if (Date.now() > deadline) throw new Error(`skiff runtime did not serve:\n${await log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name: 'skiff',
    endpoint: `unix://${socket}`,
    dir,
    cri,
    log,
    stop: async () => {
      // Whatever a failed test left running goes first, so no rootfs stays mounted in `dir`.
      for (const sandbox of await cri.listPodSandbox()) {
        await cri.stopPodSandbox(sandbox.id);
        await cri.removePodSandbox(sandbox.id);
      }
      cri.close();
      child.kill('SIGTERM');
      await exited;
      await new Promise<void>((resolve) => out.end(() => resolve()));
      await removeBridgeAndRules(bridge);
      await removeUnlessMounted(dir);
    },
  };
}
