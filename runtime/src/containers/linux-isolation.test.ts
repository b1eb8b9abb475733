// What a container sees, asserted from inside it: its own PID namespace (it is PID 1 and sees no
// host process), the pod's hostname, its own root filesystem; and what containers of one pod
// share: the network namespace (one serves on 127.0.0.1, the other reaches it).
import { readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerConfig } from '@skiff/proto';
import { mountPoints } from '../linux/index.js';
import {
  eventually,
  podConfig,
  readLog,
  shellContainer,
  skipLinuxTests,
  startLinuxTestRuntime,
  type LinuxTestRuntime,
} from './testing/linux-test-kit.js';

describe.skipIf(skipLinuxTests())('linux container isolation', () => {
  let rt: LinuxTestRuntime;

  beforeAll(async () => {
    rt = await startLinuxTestRuntime();
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  /** Runs a container to completion and returns its stdout. */
  async function output(sandboxId: string, config: ContainerConfig): Promise<string> {
    const id = await rt.backend.createContainer(sandboxId, config);
    await rt.backend.startContainer(id);
    const status = await eventually('the container to exit', async () => {
      const s = await rt.backend.containerStatus(id);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    });
    const log = await readLog(status.log_path);
    expect(status.exit_code, log).toBe(0);
    return log
      .split('\n')
      .filter((l) => l.includes(' stdout '))
      .map((l) => l.split(' ').slice(3).join(' '))
      .join('\n');
  }

  it('is PID 1, sees only its own processes, has the pod hostname and its own root', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('iso', { hostname: 'iso-host', log_directory: `${rt.root}/logs/iso` }),
    );
    const out = await output(
      sandboxId,
      shellContainer(
        'probe',
        'echo pid=$$; echo host=$(hostname); echo procs=$(ls -d /proc/[0-9]* | wc -l); echo busybox=$(readlink /bin/sh); cat /etc/hostname; ls /',
      ),
    );
    const lines = out.split('\n');
    expect(lines).toContain('pid=1');
    expect(lines).toContain('host=iso-host');
    // sh itself, and the ls and wc of the pipeline: nothing of the host's hundreds of processes.
    expect(Number(lines.find((l) => l.startsWith('procs='))?.slice(6))).toBeLessThanOrEqual(4);
    expect(lines).toContain('busybox=busybox');
    expect(lines).toContain('iso-host');
    // The image's root (busybox layout), not the host's (which has e.g. /work and /boot).
    expect(lines).toEqual(expect.arrayContaining(['bin', 'etc', 'proc', 'sys', 'tmp']));
    expect(lines).not.toContain('work');
  });

  it("gives each container its own writable root: one container's files are not in the other's", async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('roots', { log_directory: `${rt.root}/logs/roots` }),
    );
    await output(sandboxId, shellContainer('writer', 'echo secret > /tmp/mine && cat /tmp/mine'));
    const out = await output(
      sandboxId,
      shellContainer('reader', 'test -e /tmp/mine && echo visible || echo absent'),
    );
    expect(out.trim()).toBe('absent');
  });

  it('shares the network namespace between the containers of a pod', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('net', { log_directory: `${rt.root}/logs/net` }),
    );
    const server = await rt.backend.createContainer(
      sandboxId,
      shellContainer(
        'server',
        'mkdir -p /www && echo hello-from-server > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www',
      ),
    );
    await rt.backend.startContainer(server);
    const out = await output(
      sandboxId,
      shellContainer(
        'client',
        'for i in $(seq 1 50); do wget -q -O- http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1',
      ),
    );
    expect(out.trim()).toBe('hello-from-server');
    expect((await rt.backend.containerStatus(server)).state).toBe('CONTAINER_RUNNING');
  });

  it('runs a hostNetwork pod in the host network and UTS namespaces', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('hostnet', {
        log_directory: `${rt.root}/logs/hostnet`,
        linux: {
          security_context: {
            namespace_options: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' },
          },
        },
      }),
    );
    expect((await rt.backend.podSandboxStatus(sandboxId)).network?.ip).toBe('');
    const out = await output(sandboxId, shellContainer('hostnet', 'hostname; ip -o link show'));
    expect(out.split('\n')[0]).toBe(hostname());
    // The test network's bridge lives in the host's namespace only.
    expect(out).toContain(rt.net.bridgeName);
  });

  it('holds the IPC and UTS namespaces of a pod that shares no PIDs without any process: containers share them, the sandbox has no pid', async () => {
    const sandboxId = await rt.backend.runPodSandbox(
      podConfig('pinned', { hostname: 'pinned-host', log_directory: `${rt.root}/logs/pinned` }),
    );
    expect((await rt.backend.podSandboxInfo(sandboxId)).pid).toBe(0);
    // Two containers, the second started after the first has exited (nothing of the pod runs in
    // between), are in the same IPC and UTS namespaces — not the host's — with the pod's hostname.
    const script = 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts; hostname';
    const first = await output(sandboxId, shellContainer('first', script));
    const second = await output(sandboxId, shellContainer('second', script));
    expect(second).toBe(first);
    const [ipc, uts, name] = first.split('\n');
    expect(ipc).not.toBe(await readlink('/proc/self/ns/ipc'));
    expect(uts).not.toBe(await readlink('/proc/self/ns/uts'));
    expect(name).toBe('pinned-host');
    await rt.backend.stopPodSandbox(sandboxId);
    await rt.backend.removePodSandbox(sandboxId);
    expect([...(await mountPoints())].filter((p) => p.includes(sandboxId))).toEqual([]);
  });

  it('does not share the PID namespace between containers unless the pod asks for it', async () => {
    const separate = await rt.backend.runPodSandbox(
      podConfig('pids', { log_directory: `${rt.root}/logs/pids` }),
    );
    const shared = await rt.backend.runPodSandbox(
      podConfig('sharedpids', {
        log_directory: `${rt.root}/logs/sharedpids`,
        linux: {
          security_context: { namespace_options: { pid: 'POD', network: 'POD', ipc: 'POD' } },
        },
      }),
    );
    const script = 'ls -d /proc/[0-9]* | wc -l; cat /proc/1/cmdline | tr "\\0" " "';
    const own = await output(separate, shellContainer('alone', script));
    expect(own.split('\n')[1]).toMatch(/^sh -c/);
    const pod = await output(shared, shellContainer('together', script));
    // PID 1 is the pause process, which holds the pod's PID namespace.
    expect(pod.split('\n')[1]).toMatch(/^\/pause/);
  });
});
