// UDP in network namespaces, for the tests that prove what happens to a flow when its NAT
// changes (host ports in the runtime, Services in the proxy): a server that answers every
// datagram with its name, and a client that always sends from the same source port — one flow,
// one connection-tracking entry, as a DNS client or a game keeps.
import { spawn, type ChildProcess } from 'node:child_process';

/** A UDP server in `netns` on `port`, answering every datagram with `name`; kill it when done. */
export function udpNameServer(netns: string, port: number, name: string): Promise<ChildProcess> {
  const script = [
    "const s = require('node:dgram').createSocket('udp4');",
    `s.on('message', (_m, peer) => s.send(${JSON.stringify(name)}, peer.port, peer.address));`,
    `s.bind(${port}, () => console.log('listening'));`,
  ].join(' ');
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`UDP server in ${netns} exited ${code}`)));
  });
}

/** One datagram from `netns` to `host:port`, sent from `sport`: the answer, or 'no answer'. */
export function askUdp(netns: string, host: string, port: number, sport: number): Promise<string> {
  const script = [
    "const s = require('node:dgram').createSocket('udp4');",
    "const t = setTimeout(() => { console.log('no answer'); s.close(); }, 1500);",
    "s.on('message', (m) => { clearTimeout(t); console.log(m.toString()); s.close(); });",
    `s.bind(${sport}, () => s.send('who', ${port}, ${JSON.stringify(host)}));`,
  ].join(' ');
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => resolve(out.trim()));
  });
}
