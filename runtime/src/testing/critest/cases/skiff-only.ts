// Cases only skiff runtime can be asked about: surviving its own kill -9 (containers, their exits,
// a terminal to attach to), pulling from a registry through CRI PullImage, `skiff image import`
// refusing corrupt tarballs without leaving anything behind, and its HTTP side door (/healthz,
// /metrics). containerd has equivalents for some, but not through the CRI or not in a form these
// tests could drive (no registry it could reach).
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { status as grpcStatus } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { REGISTRY_BINARY, pushImage, startRegistry } from '../../../images/testing/registry.js';
import { requireHostTool } from '../../../images/testing/host-tools.js';
import { eventually } from '@skiff/api/testing';
import { dialSpdy, openSpdyCommand } from '../../../streaming/testing/streaming-client.js';
import { grpcError, imageCall, nowNs, runtimeCall } from '../cri-calls.js';
import { containerStatus, makeContainer, makePod, runPod, startContainer } from '../pods.js';
import type { CriSuite } from '../suite.js';
import type { SkiffTarget } from '../skiff-target.js';

export function skiffOnlyCases({ target, archives }: CriSuite<SkiffTarget>): void {
  it('answers Exec, Attach and PortForward for what does not exist with NOT_FOUND', async () => {
    // containerd 1.6 answers UNKNOWN here; skiff says which id it could not find. Each call is
    // made when its turn comes: a call started early would reject with nobody awaiting it yet.
    for (const call of [
      () => runtimeCall(target(), 'Exec', { container_id: 'x', cmd: ['sh'], stdout: true }),
      () => runtimeCall(target(), 'Attach', { container_id: 'x', stdout: true }),
      () => runtimeCall(target(), 'PortForward', { pod_sandbox_id: 'x' }),
    ]) {
      const err = await grpcError(call());
      expect(err.code).toBe(grpcStatus.NOT_FOUND);
      expect(err.details).toContain('"x" not found');
    }
  });

  it('serves /healthz and CRI operation metrics on its HTTP port', async () => {
    await runtimeCall(target(), 'Version', {});
    const health = await fetch(`${target().healthUrl()}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
    const metrics = await (await fetch(`${target().healthUrl()}/metrics`)).text();
    expect(metrics).toMatch(/^skiff_runtime_operations_total\{operation_type="Version"\} \d+$/m);
    expect(metrics).toMatch(
      /^skiff_runtime_operations_errors_total\{operation_type="ContainerStatus",code="NOT_FOUND"\} \d+$/m,
    );
    expect(metrics).toContain('skiff_runtime_operations_duration_seconds_bucket');
  });

  describe('a corrupt tarball', () => {
    const cases: [string, (scratch: Buffer) => Buffer][] = [
      ['a truncated archive', (scratch) => scratch.subarray(0, Math.floor(scratch.length / 2))],
      ['a file that is not a tar at all', () => Buffer.from('this is not an image\n'.repeat(100))],
    ];
    it.each(cases)(
      'refuses %s with a clear error and leaves nothing behind',
      async (_name, corrupt) => {
        const file = join(archives().scratch + '.corrupt');
        await writeFile(file, corrupt(await readFile(archives().scratch)));
        const blobs = join(target().root, 'images', 'blobs', 'sha256');
        const blobsBefore = (await readdir(blobs)).sort();
        const imagesBefore = await imageCall(target(), 'ListImages', {});

        const result = await target().skiff(['image', 'import', file, '--socket', target().socket]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/skiff image import: .*corrupt/);
        expect(result.stderr).not.toContain('internal error');

        expect((await readdir(blobs)).sort()).toEqual(blobsBefore);
        expect(await readdir(join(target().root, 'images', 'tmp'))).toEqual([]);
        expect(await imageCall(target(), 'ListImages', {})).toEqual(imagesBefore);
      },
    );
  });

  it.skipIf(!requireHostTool(REGISTRY_BINARY, 'docker-registry'))(
    'pulls an image from a registry on loopback through PullImage and runs it',
    async () => {
      const registry = await startRegistry(join(target().root, '..'));
      try {
        await pushImage(registry.host, 'critest/busybox', 'v1', [archives().registryImage]);
        const reference = `${registry.host}/critest/busybox:v1`;
        const { image_ref } = await imageCall(target(), 'PullImage', {
          image: { image: reference },
        });
        const { image } = await imageCall(target(), 'ImageStatus', { image: { image: reference } });
        expect(image?.id).toBe(image_ref);
        expect(image?.repo_tags).toContain(reference);
        expect(image?.repo_digests).toContainEqual(
          expect.stringMatching(new RegExp(`^${registry.host}/critest/busybox@sha256:`)),
        );

        const pod = makePod(target(), 'pulled');
        const sandboxId = await runPod(target(), pod);
        const id = await startContainer(target(), sandboxId, pod, {
          ...makeContainer(target(), 'pulled', 'echo from the registry'),
          image: { image: reference },
        });
        const exited = await eventually('the pulled container to exit', async () => {
          const s = await containerStatus(target(), id);
          return s.state === 'CONTAINER_EXITED' ? s : undefined;
        });
        expect(exited.exit_code).toBe(0);
        expect(await readFile(join(pod.logDirectory, 'pulled.log'), 'utf8')).toContain(
          'stdout F from the registry',
        );
        await runtimeCall(target(), 'StopPodSandbox', { pod_sandbox_id: sandboxId });
        await runtimeCall(target(), 'RemovePodSandbox', { pod_sandbox_id: sandboxId });
        await imageCall(target(), 'RemoveImage', { image: { image: reference } });
      } finally {
        await registry.stop();
      }
    },
  );

  // Last: it replaces the runtime process the other cases talk to.
  it('keeps containers running across kill -9 and reports exits that happened while it was down', async () => {
    const pod = makePod(target(), 'survivor');
    const sandboxId = await runPod(target(), pod);
    const long = await startContainer(
      target(),
      sandboxId,
      pod,
      makeContainer(target(), 'long', 'sleep 3600'),
    );
    const short = await startContainer(
      target(),
      sandboxId,
      pod,
      // It ends only once told to, after the kill: however slow the machine, it exits while no
      // runtime runs (a `sleep 1` could end before the kill on a busy one).
      makeContainer(target(), 'short', 'until [ -e /go ]; do sleep 0.05; done; exit 3'),
    );
    // conmon holds a terminal and its attach socket, so both outlive the runtime too.
    const terminal = await startContainer(target(), sandboxId, pod, {
      ...makeContainer(target(), 'terminal', 'while read line; do echo "got:$line"; done'),
      tty: true,
      stdin: true,
    });
    const killedAt = nowNs();
    await target().kill9();
    // The container's root filesystem is mounted on the host: a file made there is in it.
    await writeFile(join(target().root, 'containers', short, 'rootfs', 'go'), '');

    // With no runtime at all, the short container ends; conmon records its exit code.
    await eventually('the short container to exit', async () =>
      existsSync(join(target().root, 'exits', short)) ? true : undefined,
    );
    const restartedAt = nowNs();
    await target().restart();

    const { status: sandbox } = await runtimeCall(target(), 'PodSandboxStatus', {
      pod_sandbox_id: sandboxId,
    });
    expect(sandbox?.state).toBe('SANDBOX_READY');
    expect((await containerStatus(target(), long)).state).toBe('CONTAINER_RUNNING');
    const ended = await containerStatus(target(), short);
    expect(ended.state).toBe('CONTAINER_EXITED');
    expect(ended.exit_code).toBe(3);
    expect(BigInt(ended.finished_at)).toBeGreaterThan(killedAt);
    expect(BigInt(ended.finished_at)).toBeLessThan(restartedAt);

    // The new process fully drives what it found.
    const exec = await runtimeCall(target(), 'ExecSync', {
      container_id: long,
      cmd: ['echo', 'still here'],
      timeout: 10,
    });
    expect(exec.stdout.toString()).toBe('still here\n');
    const { url } = await runtimeCall(target(), 'Attach', {
      container_id: terminal,
      stdin: true,
      stdout: true,
      tty: true,
    });
    const answer = await dialSpdy(url, ['v4.channel.k8s.io']);
    if (answer.session === undefined) throw new Error(`no upgrade: HTTP ${answer.status}`);
    const attached = await openSpdyCommand(answer.session, {
      stdin: true,
      stdout: true,
      tty: true,
    });
    let output = '';
    attached.stdoutStream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(
      'the terminal answering after the restart',
      () => {
        attached.stdin?.write('after restart\n');
        return output.includes('got:after restart');
      },
      { intervalMs: 200 },
    );
    await answer.session.close();
    await runtimeCall(target(), 'StopContainer', { container_id: long, timeout: 0 });
    expect((await containerStatus(target(), long)).state).toBe('CONTAINER_EXITED');
  });
}
