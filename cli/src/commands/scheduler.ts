// `skiff scheduler`: kube-scheduler's role. Binds every pod whose spec.schedulerName is one of
// its profiles (default `default-scheduler`) and whose spec.nodeName is empty. Flags keep
// kube-scheduler's names; a flag given on the command line wins over the --config file.
import { errorMessage } from '@skiff/api';
import { clientFromKubeconfig } from '@skiff/client';
import {
  ConfigError,
  DEFAULT_SCHEDULER_PORT,
  defaultSchedulerConfig,
  loadSchedulerConfig,
  parsePositiveDuration,
  startSchedulerApp,
  type LeaderElectionConfig,
  type SchedulerConfig,
} from '@skiff/scheduler';
import type { Command } from './command.js';
import { parseFlags, parsePort } from './flags.js';
import { serveUntilSignal } from './serve-until-signal.js';

const help = `usage: skiff scheduler [--kubeconfig <file>] [--config <file>] [--leader-elect[=true|false]]
          [--leader-elect-lease-duration <d>] [--leader-elect-renew-deadline <d>]
          [--leader-elect-retry-period <d>] [--leader-elect-resource-name <name>]
          [--leader-elect-resource-namespace <ns>] [--port <n>] [--bind-address <addr>]

  --kubeconfig                        the apiserver and credentials (default: KUBECONFIG, ~/.kube/config)
  --config                            a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1):
                                      profiles, plugins, weights, percentageOfNodesToScore, backoff
  --leader-elect                      schedule only while holding the Lease (default true)
  --leader-elect-lease-duration       how long standbys wait before taking over (default 15s)
  --leader-elect-renew-deadline       how long the leader keeps trying to renew (default 10s)
  --leader-elect-retry-period         how often to try to acquire or renew (default 2s)
  --leader-elect-resource-name        the Lease's name (default kube-scheduler)
  --leader-elect-resource-namespace   the Lease's namespace (default kube-system)
  --port                              /healthz, /readyz and /metrics over plain HTTP (default ${DEFAULT_SCHEDULER_PORT})
  --bind-address                      where that listens (default 0.0.0.0)
`;

/** `--leader-elect=false` is kube-scheduler's spelling; node's parseArgs has no negation. */
function takeLeaderElect(args: string[]): { rest: string[]; value: boolean | undefined } {
  let value: boolean | undefined;
  const rest = args.filter((arg) => {
    const m = /^--leader-elect(?:=(.*))?$/.exec(arg);
    if (!m) return true;
    if (m[1] !== undefined && m[1] !== 'true' && m[1] !== 'false') {
      throw new Error(`--leader-elect=${m[1]}: want true or false`);
    }
    value = m[1] !== 'false';
    return false;
  });
  return { rest, value };
}

const durationFlags = {
  'leader-elect-lease-duration': 'leaseDuration',
  'leader-elect-renew-deadline': 'renewDeadline',
  'leader-elect-retry-period': 'retryPeriod',
} as const;

export const schedulerCommand: Command = {
  async run(args) {
    let leaderElect: boolean | undefined;
    let rest: string[];
    try {
      ({ rest, value: leaderElect } = takeLeaderElect(args));
    } catch (err) {
      process.stderr.write(`skiff scheduler: ${errorMessage(err)}\n\n${help}`);
      return 2;
    }
    const parsed = parseFlags('skiff scheduler', help, {
      args: rest,
      options: {
        kubeconfig: { type: 'string' },
        config: { type: 'string' },
        'leader-elect-lease-duration': { type: 'string' },
        'leader-elect-renew-deadline': { type: 'string' },
        'leader-elect-retry-period': { type: 'string' },
        'leader-elect-resource-name': { type: 'string' },
        'leader-elect-resource-namespace': { type: 'string' },
        port: { type: 'string', default: String(DEFAULT_SCHEDULER_PORT) },
        'bind-address': { type: 'string', default: '0.0.0.0' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (typeof parsed === 'number') return parsed;
    const { values } = parsed;
    let config: SchedulerConfig;
    let port: number;
    try {
      port = parsePort('--port', values.port);
      const fromFile = values.config
        ? await loadSchedulerConfig(values.config)
        : defaultSchedulerConfig();
      config = withLeaderElectionFlags(fromFile, leaderElect, values);
    } catch (err) {
      const where = err instanceof ConfigError && values.config ? `${values.config}: ` : '';
      process.stderr.write(`skiff scheduler: ${where}${errorMessage(err)}\n`);
      return 2;
    }
    try {
      // kube-scheduler's client defaults: 50 requests/s, bursts of 100.
      const client = await clientFromKubeconfig(
        values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {},
        { qps: 50, burst: 100 },
      );
      const app = await startSchedulerApp({
        client,
        config,
        port,
        host: values['bind-address'],
        log: (m) => process.stderr.write(`skiff scheduler: ${m}\n`),
      });
      const profiles = config.profiles.map((p) => p.schedulerName).join(', ');
      const serving = serveUntilSignal({
        command: 'skiff scheduler',
        banner: [
          `skiff scheduler: profiles ${profiles}; leader election ${config.leaderElection.leaderElect ? `on (lease ${config.leaderElection.resourceNamespace}/${config.leaderElection.resourceName})` : 'off'}`,
          `skiff scheduler: serving ${app.url}/healthz, /readyz, /metrics`,
        ],
        stopping: 'shutting down',
        stop: () => app.stop(),
        stopFailed: 'shutdown failed',
      });
      // Losing the lease ends the process, as kube-scheduler: what it knew may be stale.
      const lost = app.done.then(
        () => new Promise<number>(() => undefined),
        (err: unknown) => {
          process.stderr.write(`skiff scheduler: ${errorMessage(err)}\n`);
          return 1;
        },
      );
      const code = await Promise.race([serving, lost]);
      client.close();
      return code;
    } catch (err) {
      process.stderr.write(`skiff scheduler: ${errorMessage(err)}\n`);
      return 1;
    }
  },
};

type LeaderElectionFlag =
  keyof typeof durationFlags | 'leader-elect-resource-name' | 'leader-elect-resource-namespace';

function withLeaderElectionFlags(
  config: SchedulerConfig,
  leaderElect: boolean | undefined,
  values: Partial<Record<LeaderElectionFlag, string>>,
): SchedulerConfig {
  const election: { -readonly [K in keyof LeaderElectionConfig]: LeaderElectionConfig[K] } = {
    ...config.leaderElection,
  };
  if (leaderElect !== undefined) election.leaderElect = leaderElect;
  const durations = {
    leaseDuration: 'leaseDurationMs',
    renewDeadline: 'renewDeadlineMs',
    retryPeriod: 'retryPeriodMs',
  } as const;
  for (const [flag, field] of Object.entries(durationFlags)) {
    const value = values[flag as keyof typeof durationFlags];
    if (value !== undefined) election[durations[field]] = parsePositiveDuration(value, `--${flag}`);
  }
  election.resourceName = values['leader-elect-resource-name'] ?? election.resourceName;
  election.resourceNamespace =
    values['leader-elect-resource-namespace'] ?? election.resourceNamespace;
  return { ...config, leaderElection: election };
}
