// `pnpm start`: build skiff and run it on this machine. Until `skiff up` (the whole single-machine
// cluster) lands, this starts the apiserver on the embedded store in ./.skiff/state, ready for
// real kubectl; the scheduler, controllers and kubelet arrive with their issues.
import { spawn, spawnSync } from 'node:child_process';
import { delimiter, resolve } from 'node:path';

process.env.PATH = `${resolve('node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`;
console.log('building skiff (tsc -b) …');
const build = spawnSync('tsc', ['-b'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const args = ['cli/dist/main.js', 'apiserver', ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
