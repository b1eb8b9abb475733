// `pnpm bench <name>` runs one benchmark from its TypeScript source. Benchmarks print their
// figures and the ceiling measured in the same run; they are never part of the test suite.
import { spawnSync } from 'node:child_process';

const benchmarks = {
  storage: 'apiserver/src/storage/bench/storage-bench.ts',
  watchcache: 'apiserver/src/watchcache/bench/fanout-bench.ts',
  apiserver: 'apiserver/src/bench/apiserver-bench.ts',
  runtime: 'runtime/src/bench/runtime-bench.ts',
  'runtime-cpu': 'runtime/src/bench/cpu-per-pod-bench.ts',
  scheduler: 'scheduler/src/bench/scheduler-bench.ts',
  'scheduler-algorithm': 'scheduler/src/bench/algorithm-bench.ts',
  controllers: 'controller-manager/src/bench/controllers-bench.ts',
  network: 'proxy/src/bench/network-bench.ts',
  'network-dns': 'dns/src/bench/dns-bench.ts',
  'network-pods': 'podnet/src/bench/pod-network-bench.ts',
  podstartup: 'kubelet/src/bench/podstartup-bench.ts',
  up: 'cli/src/bench/up-bench.ts',
};

const [name, ...args] = process.argv.slice(2);
const file = name ? benchmarks[name] : undefined;
if (!file) {
  console.error(`usage: pnpm bench <${Object.keys(benchmarks).join('|')}> [options]`);
  process.exit(2);
}
// Benchmarks that start skiff's own processes run the build, as users do (`pnpm skiff` is
// node cli/dist/main.js): build first, incrementally.
const runsTheBuild = new Set(['runtime', 'runtime-cpu', 'up']);
if (runsTheBuild.has(name)) {
  console.log('building skiff (npx tsc -b) for the processes the benchmark starts…');
  const build = spawnSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('the build failed: the benchmark runs the build, so it cannot run');
    process.exit(build.status ?? 1);
  }
}
// The pod network benchmark measures with Debian's iperf3. Its fallback, a Node TCP blaster,
// cannot fill a veth, so every hop looks free to it and its ratios read high: install iperf3 as
// the suite installs its own system packages (root on Debian), else the benchmark says it fell back.
if (name === 'network-pods' && !onPath('iperf3') && process.getuid?.() === 0 && onPath('apt-get')) {
  console.log('installing iperf3 (Debian package) for the throughput measurements…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', 'iperf3'], { stdio: 'inherit', env });
}
// `--conditions=source` resolves @skiff/* packages to their .ts sources; tsx compiles them.
const result = spawnSync(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', file, ...args],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);

function onPath(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}
