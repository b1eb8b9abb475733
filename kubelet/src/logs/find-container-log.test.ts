import type { ContainerStatus, Pod } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { ContainerLogError, containerIdForLogs } from './find-container-log.js';

function pod(status?: Partial<ContainerStatus>): Pod {
  return {
    metadata: { name: 'web' },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
    status:
      status === undefined
        ? {}
        : { containerStatuses: [{ name: 'app', ...status } as ContainerStatus] },
  };
}

const terminated = (id: string) => ({ terminated: { exitCode: 1, containerID: `skiff://${id}` } });

describe('containerIdForLogs', () => {
  it.each<[string, Partial<ContainerStatus>, boolean, string]>([
    ['the running instance', { containerID: 'skiff://c2', state: { running: {} } }, false, 'c2'],
    ['a terminated instance', { state: terminated('c2') }, false, 'c2'],
    [
      'the instance before with previous',
      { containerID: 'skiff://c2', state: { running: {} }, lastState: terminated('c1') },
      true,
      'c1',
    ],
    [
      'the last instance while the next waits in back-off',
      { state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: terminated('c1') },
      false,
      'c1',
    ],
  ])('reads %s', (_, status, previous, id) => {
    expect(containerIdForLogs(pod(status), 'app', previous)).toBe(id);
  });

  it.each<[string, Pod, string, boolean, number, string]>([
    ['an unknown container', pod({}), 'db', false, 404, 'container "db" not found in pod "web"'],
    [
      'previous without one',
      pod({ state: { running: {} } }),
      'app',
      true,
      400,
      'previous terminated container "app" in pod "web" not found',
    ],
    [
      'a waiting container',
      pod({ state: { waiting: { reason: 'ContainerCreating' } } }),
      'app',
      false,
      400,
      'container "app" in pod "web" is waiting to start: ContainerCreating',
    ],
    [
      'an image that cannot be pulled',
      pod({ state: { waiting: { reason: 'ErrImagePull' } } }),
      'app',
      false,
      400,
      'container "app" in pod "web" is waiting to start: image can\'t be pulled',
    ],
    ['no status yet', pod(), 'app', false, 400, 'container "app" in pod "web" is not available'],
  ])('refuses %s', (_, p, container, previous, code, message) => {
    expect(() => containerIdForLogs(p, container, previous)).toThrow(
      expect.objectContaining({ code, message }) as ContainerLogError,
    );
  });
});
