// `skiff lab up|exec|down`: a multi-node cluster on this one machine, each "VM" a network
// namespace running the components docs/lab.md starts on real VMs (see ../lab/).
import { constants } from 'node:os';
import { errorMessage } from '@skiff/api';
import type { Command } from './command.js';
import { parseFlags } from './flags.js';
import { labDown } from '../lab/lab-down.js';
import { labPaths, findVm, readLabRecord, type Routing } from '../lab/lab-record.js';
import { MAX_NODES } from '../lab/lab-plan.js';
import { labUp } from '../lab/lab-up.js';
import { DEFAULT_STEPS_FILE } from '../lab/lab-steps.js';
import { spawnOnVm } from '../lab/vm-shell.js';

const help = `usage: skiff lab up --state-dir <dir> [--nodes <n>] [--routing host-gw|vxlan] [flags]
       skiff lab exec <vm> --state-dir <dir> [-- <command> [args…]]
       skiff lab down --state-dir <dir>

A cluster of "VMs" on this machine (root): each VM a network namespace with its own address on a
shared bridge; the control plane (apiserver, scheduler, controller-manager, dns) on the VM
control-plane, a runtime, kubelet, proxy and podnet on each of node-1 … node-<n>, started by the
steps of docs/lab.md ("a lab cluster on three VMs"). Writes <dir>/kubeconfig for the host.

up:
  --state-dir      where the lab keeps its record, the VMs' directories and logs (required)
  --nodes          how many nodes (default 2, at most ${MAX_NODES})
  --routing        the pod network between nodes: host-gw or vxlan (default host-gw)
  --subnet         the VMs' segment, a /24 or so (default: the first free 10.213.x.0/24)
  --dns-upstream   the nameserver cluster DNS forwards other names to (default: the host's
                   /etc/resolv.conf, which the VMs may not reach)
  --steps          the markdown file whose \`\`\`sh skiff-lab blocks are run (default
                   ${DEFAULT_STEPS_FILE})
  --step-timeout   seconds a step may take (default 180)
exec:
  runs the command (default: a shell) on the VM: in its network namespace, with the doc's
  variables set (CONTROL_PLANE_IP, NODE_NAME, NODE_IP, POD_CIDR, ROUTING, VM_DIR, KUBECONFIG)
down:
  stops everything the lab started, removes its pods, namespaces, bridge, veths, routes and rules
  (they live in its namespaces) and the VMs' directories; the logs stay
`;

function parseRouting(text: string): Routing {
  if (text === 'host-gw' || text === 'vxlan') return text;
  throw new Error(`--routing ${JSON.stringify(text)}: want host-gw or vxlan`);
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function up(args: string[]): Promise<number> {
  const parsed = parseFlags('skiff lab up', help, {
    args,
    options: {
      'state-dir': { type: 'string' },
      nodes: { type: 'string', default: '2' },
      routing: { type: 'string', default: 'host-gw' },
      subnet: { type: 'string' },
      'dns-upstream': { type: 'string' },
      steps: { type: 'string' },
      'step-timeout': { type: 'string', default: '180' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const stateDir = v['state-dir'];
  if (stateDir === undefined) {
    process.stderr.write(`skiff lab up: --state-dir is required\n\n${help}`);
    return 2;
  }
  const stepTimeout = Number(v['step-timeout']);
  let routing: Routing;
  try {
    if (!(stepTimeout > 0)) throw new Error(`--step-timeout ${v['step-timeout']}: want seconds`);
    routing = parseRouting(v.routing);
  } catch (err) {
    process.stderr.write(`skiff lab up: ${errorMessage(err)}\n\n${help}`);
    return 2;
  }
  try {
    const record = await labUp({
      stateDir,
      nodes: Number(v.nodes),
      routing,
      ...(v.subnet !== undefined && { subnet: v.subnet }),
      ...(v['dns-upstream'] !== undefined && { dnsUpstream: v['dns-upstream'] }),
      ...(v.steps !== undefined && { stepsFile: v.steps }),
      stepTimeoutMs: stepTimeout * 1000,
      readyTimeoutMs: 180_000,
      log: say,
    });
    const paths = labPaths(stateDir);
    say(`lab ${record.id} is up (${record.routing}): every node Ready`);
    say(`  skiff get nodes -o wide --kubeconfig ${paths.kubeconfig}`);
    say(`  skiff lab exec node-1 --state-dir ${paths.dir} -- ip route`);
    say(`  skiff lab down --state-dir ${paths.dir}`);
    return 0;
  } catch (err) {
    const made = (await readLabRecord(labPaths(stateDir))) !== undefined;
    process.stderr.write(
      `skiff lab up: ${errorMessage(err)}\n` +
        (made ? `(left for a look: skiff lab down --state-dir ${stateDir} removes it)\n` : ''),
    );
    return 1;
  }
}

async function exec(args: string[]): Promise<number> {
  const dash = args.indexOf('--');
  const own = dash < 0 ? args : args.slice(0, dash);
  const command = dash < 0 ? [] : args.slice(dash + 1);
  const parsed = parseFlags('skiff lab exec', help, {
    args: own,
    options: { 'state-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (typeof parsed === 'number') return parsed;
  const [vmName, ...extra] = parsed.positionals;
  const stateDir = parsed.values['state-dir'];
  if (vmName === undefined || stateDir === undefined || extra.length > 0) {
    process.stderr.write(`skiff lab exec: want <vm> --state-dir <dir> [-- <command>]\n\n${help}`);
    return 2;
  }
  const paths = labPaths(stateDir);
  try {
    const record = await readLabRecord(paths);
    if (record === undefined) throw new Error(`no lab recorded in ${paths.dir}`);
    const vm = findVm(record, vmName);
    const argv = command.length > 0 ? command : [process.env.SHELL ?? '/bin/sh'];
    const child = spawnOnVm({ record, vm, paths, argv });
    return await new Promise<number>((resolve) => {
      child.on('error', (err) => {
        process.stderr.write(`skiff lab exec: ${errorMessage(err)}\n`);
        resolve(1);
      });
      // A command killed by a signal exits as a shell reports it: 128 + the signal's number.
      child.on('exit', (code, signal) =>
        resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal])),
      );
    });
  } catch (err) {
    process.stderr.write(`skiff lab exec: ${errorMessage(err)}\n`);
    return 1;
  }
}

async function down(args: string[]): Promise<number> {
  const parsed = parseFlags('skiff lab down', help, {
    args,
    options: { 'state-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (typeof parsed === 'number') return parsed;
  const stateDir = parsed.values['state-dir'];
  if (stateDir === undefined) {
    process.stderr.write(`skiff lab down: --state-dir is required\n\n${help}`);
    return 2;
  }
  try {
    return (await labDown({ stateDir, log: say })) ? 0 : 1;
  } catch (err) {
    process.stderr.write(`skiff lab down: ${errorMessage(err)}\n`);
    return 1;
  }
}

const verbs: Readonly<Record<string, (args: string[]) => Promise<number>>> = { up, exec, down };

export const labCommand: Command = {
  async run(args) {
    const [verb, ...rest] = args;
    const run = verb === undefined ? undefined : verbs[verb];
    if (run === undefined) {
      if (verb === '--help' || verb === '-h') {
        process.stdout.write(help);
        return 0;
      }
      process.stderr.write(`skiff lab: want up, exec or down\n\n${help}`);
      return 2;
    }
    if (process.getuid?.() !== 0 && !rest.includes('--help') && !rest.includes('-h')) {
      process.stderr.write('skiff lab: network namespaces need root\n');
      return 1;
    }
    return run(rest);
  },
};
