// `skiff up`: a whole cluster on this machine in seconds (see ../up/ for its parts and
// ../up/up-options.ts for its flags and what stopping does). Checks what it can before starting
// anything — flags, the state dir (writable, not in use), the API port, root, host programs —
// and fails fast with one clear line and exit 1 (2 for a bad flag).
import { errorMessage } from '@skiff/api';
import { fileURLToPath } from 'node:url';
import type { Command } from './command.js';
import { parseFlags } from './flags.js';
import { applyAndWait, type AppliedManifests } from '../up/apply-step.js';
import { recordFailure } from '../up/failure-log.js';
import { KUBECONFIG_CONTEXT } from '../up/kubeconfig-file.js';
import { checkPortFree, missingHostTools, notRootWarning } from '../up/preflight.js';
import { Progress, seconds } from '../up/progress.js';
import { startCluster, stopAll, type StartedCluster } from '../up/start-cluster.js';
import { prepareStateDir } from '../up/state-dir.js';
import { lockStateDir, type StateLock } from '../up/state-lock.js';
import { upHelp, upOptionsFromFlags, type UpOptions } from '../up/up-options.js';

const manifests = fileURLToPath(new URL('../../../manifests/', import.meta.url));

function fail(message: string): number {
  process.stderr.write(`skiff up: ${message}\n`);
  return 1;
}

/** The checks that need no lock: a failure here changes nothing on the machine. */
async function preflight(options: UpOptions, progress: Progress): Promise<string | undefined> {
  try {
    await checkPortFree(options.host, options.port);
  } catch (err) {
    return errorMessage(err);
  }
  if (options.criEndpoint !== undefined) return undefined;
  if (process.getuid?.() !== 0) {
    for (const line of notRootWarning) progress.line(line);
    return undefined;
  }
  const missing = missingHostTools();
  if (missing.length > 0) {
    return `this machine lacks what real containers need:\n${missing.map((m) => `  - ${m}`).join('\n')}`;
  }
  return undefined;
}

function clusterLines(options: UpOptions, cluster: StartedCluster): string[] {
  const ready = `${cluster.nodes.length} node${cluster.nodes.length > 1 ? 's' : ''} Ready`;
  return [
    '',
    `skiff up: cluster ready in ${seconds(cluster.readyAfterMs)} — ${ready} (${cluster.nodes.join(', ')})`,
    `  API         ${cluster.url} (plain HTTP, no authentication yet)`,
    `  kubeconfig  ${options.layout.kubeconfig} (context ${KUBECONFIG_CONTEXT})`,
    `  state, logs ${options.layout.dir}, ${options.layout.logs}/`,
    '',
  ];
}

/** What to type next; the Service lines only when skiff's proxy runs (it needs root). */
function tryLines(
  options: UpOptions,
  cluster: StartedCluster,
  applied: AppliedManifests | undefined,
): string[] {
  const comment = (command: string, why: string): string => `  ${command.padEnd(40)} # ${why}`;
  const svc = applied?.service;
  const serviceLines =
    cluster.clusterDNS === undefined
      ? [comment(`curl http://${applied?.podIP ?? '<pod IP>'}:8080/`, 'a demo pod answers')]
      : [
          comment(
            `curl http://${svc?.clusterIP ?? '<ClusterIP>'}:${svc?.port ?? 80}/`,
            `the ${svc?.name ?? 'web'} Service's ClusterIP, through skiff's proxy`,
          ),
          ...(svc?.nodePort !== undefined
            ? [
                comment(
                  `curl http://127.0.0.1:${svc.nodePort}/`,
                  'its NodePort, also on the node address',
                ),
              ]
            : []),
          `  pods resolve Services by name (web, web.default.svc.cluster.local): cluster DNS ${cluster.clusterDNS}`,
        ];
  return [
    '',
    'try, from another terminal (kubectl 1.27 to 1.33):',
    `  export KUBECONFIG=${options.layout.kubeconfig}`,
    '  kubectl get nodes',
    ...(options.apply === undefined ? [`  kubectl apply -f ${manifests}demo/`] : []),
    '  kubectl get pods,services -o wide',
    ...serviceLines,
    comment('npx skiff --help', 'the skiff command of this checkout'),
    '',
    'Ctrl-C stops skiff (and its Service rules); containers keep running and the next skiff up on this state dir resumes.',
  ];
}

async function serve(options: UpOptions, progress: Progress, signal: AbortSignal): Promise<number> {
  let cluster: StartedCluster;
  try {
    cluster = await startCluster(options, progress, signal);
  } catch (err) {
    if (signal.aborted) {
      progress.line('skiff up: stopped while starting');
      return 0;
    }
    const upLog = options.layout.log('up');
    const recorded = await recordFailure(upLog, err, new Date());
    const where = recorded ? `stack in ${upLog}; component logs` : 'component logs';
    return fail(`${errorMessage(err)}\n(${where}: ${options.layout.logs}/)`);
  }
  if (!signal.aborted) {
    for (const line of clusterLines(options, cluster)) progress.line(line);
    let applied: AppliedManifests | undefined;
    if (options.apply !== undefined) {
      applied = await applyAndWait(options.apply, options.layout.kubeconfig, progress, signal);
      if (applied.ok) {
        progress.line(
          `${options.apply} running ${seconds(progress.elapsedMs())} after skiff up started`,
        );
      }
    }
    for (const line of tryLines(options, cluster, applied)) progress.line(line);
  }
  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  let failure: unknown;
  await Promise.race([
    stopped,
    ...cluster.components.map((c) =>
      c.failed.catch((err: unknown) => {
        failure = err;
      }),
    ),
  ]);
  if (failure !== undefined) progress.line(`skiff up: ${errorMessage(failure)}; stopping`);
  else progress.line('skiff up: stopping (containers keep running)');
  const ok = await stopAll(cluster.components, (line) => progress.line(`skiff up: ${line}`));
  progress.line(ok ? 'skiff up: stopped' : 'skiff up: stopped, with errors');
  return failure === undefined && ok ? 0 : 1;
}

export const upCommand: Command = {
  async run(args) {
    const parsed = parseFlags('skiff up', upHelp, {
      args,
      options: {
        'state-dir': { type: 'string' },
        port: { type: 'string' },
        'bind-address': { type: 'string' },
        storage: { type: 'string' },
        runtime: { type: 'string' },
        nodes: { type: 'string' },
        split: { type: 'boolean' },
        'pod-cidr': { type: 'string' },
        bridge: { type: 'string' },
        apply: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (typeof parsed === 'number') return parsed;
    let options: UpOptions;
    try {
      options = upOptionsFromFlags(parsed.values);
    } catch (err) {
      process.stderr.write(`skiff up: ${errorMessage(err)}\n\n${upHelp}`);
      return 2;
    }
    const progress = new Progress();
    // From here on a signal stops whatever has started, in order; a second one exits at once.
    const stop = new AbortController();
    const onSignal = (name: NodeJS.Signals): void => {
      if (stop.signal.aborted) process.exit(1);
      progress.line(`\nskiff up: ${name}`);
      stop.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let lock: StateLock | undefined;
    try {
      try {
        await prepareStateDir(options.layout);
        lock = await lockStateDir(options.layout.lock, options.layout.dir);
      } catch (err) {
        return fail(errorMessage(err));
      }
      const problem = await preflight(options, progress);
      if (problem !== undefined) return fail(problem);
      return await serve(options, progress, stop.signal);
    } finally {
      await lock?.release();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
