import { Conntrack } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { HostPortForwards, type HostPortBackend, type HostPortMapping } from './host-ports.js';

/** A backend kept in memory, counting how often the (process-starting) tool would run. */
function memoryBackend(initial: string[] = []): HostPortBackend & {
  calls: string[];
  failReads: boolean;
} {
  const owners = new Set(initial);
  const backend = {
    tool: 'nft' as const,
    calls: [] as string[],
    failReads: false,
    set(sandboxId: string) {
      backend.calls.push(`set ${sandboxId}`);
      owners.add(sandboxId);
      return Promise.resolve();
    },
    remove(sandboxId: string) {
      backend.calls.push(`remove ${sandboxId}`);
      owners.delete(sandboxId);
      return Promise.resolve();
    },
    owners() {
      backend.calls.push('owners');
      if (backend.failReads) return Promise.reject(new Error('Operation not supported'));
      return Promise.resolve(new Set(owners));
    },
    uninstall() {
      return Promise.resolve();
    },
  };
  return backend;
}

describe('HostPortForwards', () => {
  it('reads the owners once, then tears down pods without forwards without the tool', async () => {
    const backend = memoryBackend(['from-before-restart']);
    const forwards = new HostPortForwards(backend, () => undefined);
    await forwards.remove('no-ports-1');
    await forwards.remove('no-ports-2');
    await forwards.remove('from-before-restart');
    expect(backend.calls).toEqual(['owners', 'remove from-before-restart']);
  });

  it('removes what it set', async () => {
    const backend = memoryBackend();
    const forwards = new HostPortForwards(backend, () => undefined);
    await forwards.set('web', '10.1.0.2', []);
    await forwards.remove('web');
    await forwards.remove('web');
    expect(backend.calls).toEqual(['owners', 'set web', 'remove web']);
  });

  it('lets pods go when the tool cannot list rules here, saying so once', async () => {
    const backend = memoryBackend();
    backend.failReads = true;
    const logged: string[] = [];
    const forwards = new HostPortForwards(backend, (m) => logged.push(m));
    await forwards.remove('a');
    await forwards.remove('b');
    expect(logged).toEqual([expect.stringContaining('Operation not supported')]);
  });

  it('fails a teardown it cannot check once it has made forwards', async () => {
    const backend = memoryBackend();
    const forwards = new HostPortForwards(backend, () => undefined);
    await forwards.set('web', '10.1.0.2', []);
    backend.failReads = true;
    await expect(forwards.ownersNow()).rejects.toThrow('Operation not supported');
    await expect(forwards.remove('web')).rejects.toThrow('Operation not supported');
  });

  it('deletes the UDP connection-tracking entries of its UDP host ports once they are set, as portmap', async () => {
    const backend = memoryBackend();
    const ran: string[] = [];
    const conntrack = new Conntrack((args) => {
      ran.push(`${backend.calls.length} calls, then conntrack ${args.join(' ')}`);
      return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
    });
    const forwards = new HostPortForwards(backend, () => undefined, conntrack);
    const mapping = (protocol: HostPortMapping['protocol'], hostPort: number): HostPortMapping => ({
      protocol,
      hostPort,
      containerPort: 53,
      hostIp: '',
    });
    await forwards.set('dns', '10.1.0.2', [
      mapping('udp', 5353),
      mapping('tcp', 5353),
      mapping('udp', 5354),
      mapping('udp', 5354),
    ]);
    await forwards.set('web', '10.1.0.3', [mapping('tcp', 8080)]);
    expect(ran).toEqual([
      '2 calls, then conntrack -D -f ipv4 -p udp --orig-port-dst 5353',
      '2 calls, then conntrack -D -f ipv4 -p udp --orig-port-dst 5354',
    ]);
  });
});
