// The VMs' network: one L2 segment (a bridge in a namespace of its own, so the host's firewall
// never filters the VMs' frames), each VM a namespace with `eth0` on it, and the host's own leg
// `skl-<id>` with the segment's first address, so the host reaches the apiserver. No VM has a
// route beyond the segment. Removing the namespaces removes everything made inside them — the
// veths, the pods' bridges, the routes, VXLAN devices and packet-filter rules the components made.
import { inNetns, linkExists, netnsExists, run } from './host-commands.js';
import type { LabRecord } from './lab-record.js';

const BRIDGE = 'br0';

/** A veth pair, `aIf` in `a` (the host when undefined) and `bIf` in `b`, both up. */
function veth(a: string | undefined, aIf: string, b: string, bIf: string): void {
  const tmp = `skt${process.pid % 100000}`;
  run([
    'ip',
    'link',
    'add',
    aIf,
    ...(a ? ['netns', a] : []),
    'type',
    'veth',
    'peer',
    'name',
    tmp,
    'netns',
    b,
  ]);
  run(inNetns(b, ['ip', 'link', 'set', tmp, 'name', bIf]));
  run(a ? inNetns(a, ['ip', 'link', 'set', aIf, 'up']) : ['ip', 'link', 'set', aIf, 'up']);
  run(inNetns(b, ['ip', 'link', 'set', bIf, 'up']));
}

function addNetns(netns: string): void {
  run(['ip', 'netns', 'add', netns]);
  run(inNetns(netns, ['ip', 'link', 'set', 'lo', 'up']));
}

/** Makes the segment and every VM on it; `record` has been saved, so a failure can be undone. */
export function buildLabNetwork(record: LabRecord): void {
  const sw = record.switchNetns;
  addNetns(sw);
  run(inNetns(sw, ['ip', 'link', 'add', BRIDGE, 'type', 'bridge']));
  run(inNetns(sw, ['ip', 'link', 'set', BRIDGE, 'up']));
  veth(undefined, record.hostInterface, sw, 'host');
  run(inNetns(sw, ['ip', 'link', 'set', 'host', 'master', BRIDGE]));
  run([
    'ip',
    'addr',
    'add',
    `${record.hostIP}/${record.prefixLength}`,
    'dev',
    record.hostInterface,
  ]);
  for (const [i, vm] of record.vms.entries()) {
    addNetns(vm.netns);
    const port = `vm${i}`;
    veth(vm.netns, 'eth0', sw, port);
    run(inNetns(sw, ['ip', 'link', 'set', port, 'master', BRIDGE]));
    run(inNetns(vm.netns, ['ip', 'addr', 'add', `${vm.ip}/${record.prefixLength}`, 'dev', 'eth0']));
  }
}

/** Deletes the lab's namespaces and the host's leg; what is already gone is skipped. */
export function removeLabNetwork(record: LabRecord, report: (line: string) => void): void {
  // The host's leg first: a namespace's devices go some moments after `ip netns del` returns (the
  // kernel tears namespaces down in the background), so deleting it afterwards could race that.
  if (linkExists(record.hostInterface)) {
    try {
      run(['ip', 'link', 'del', record.hostInterface]);
    } catch (err) {
      if (!String(err).includes('Cannot find device')) report(String(err));
    }
  }
  for (const netns of [...record.vms.map((v) => v.netns), record.switchNetns]) {
    if (!netnsExists(netns)) continue;
    try {
      run(['ip', 'netns', 'del', netns]);
    } catch (err) {
      report(`removing namespace ${netns}: ${String(err)}`);
    }
  }
}
