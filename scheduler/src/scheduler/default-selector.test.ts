import type { Pod, ReplicaSet, Service } from '@skiff/api';
import { makePod, makeReplicaSet, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { defaultSelector, type WorkloadListers } from './default-selector.js';

const rs = makeReplicaSet()
  .name('web-abc')
  .namespace('shop')
  .uid('rs-uid')
  .selector({
    matchLabels: { app: 'web' },
    matchExpressions: [{ key: 'track', operator: 'In', values: ['stable'] }],
  })
  .obj();

function listers(services: Service[], replicaSets: ReplicaSet[] = [rs]): WorkloadListers {
  return {
    services: (ns) => services.filter((s) => s.metadata.namespace === ns),
    replicaSet: (ns, name) =>
      replicaSets.find((r) => r.metadata.namespace === ns && r.metadata.name === name),
  };
}

/** A Service in `namespace`; without `selector` it selects nothing (headless, hand-made Endpoints). */
const service = (
  name: string,
  selector: Record<string, string> | undefined,
  namespace = 'shop',
): Service => {
  const s = makeService().name(name).namespace(namespace).spec({ selector });
  return s.obj();
};

const web = makePod()
  .name('web-abc-1')
  .namespace('shop')
  .labels({ app: 'web', track: 'stable', tier: 'front' });

describe('defaultSelector (the workload selecting a pod)', () => {
  it.each<[string, Pod, Service[], string]>([
    ['nothing selects the pod: everything (no default spreading)', web.obj(), [], ''],
    [
      'the Services selecting the pod, merged',
      web.obj(),
      [service('web', { app: 'web' }), service('front', { tier: 'front' })],
      'app=web,tier=front',
    ],
    [
      'a Service selecting other pods, one in another namespace, and one without a selector are left out',
      web.obj(),
      [
        service('db', { app: 'db' }),
        service('web', { app: 'web' }, 'ads'),
        service('headless', undefined),
      ],
      '',
    ],
    [
      'the controlling ReplicaSet’s selector is added',
      makePod()
        .name('web-abc-1')
        .namespace('shop')
        .labels({ app: 'web', track: 'stable', tier: 'front' })
        .controlledBy(rs)
        .obj(),
      [service('front', { tier: 'front' })],
      'app=web,tier=front,track in (stable)',
    ],
    [
      'an owner that is not the controller does not count',
      makePod()
        .name('web-abc-1')
        .namespace('shop')
        .labels({ app: 'web' })
        .ownerReference({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-abc',
          uid: 'rs-uid',
        })
        .obj(),
      [],
      '',
    ],
  ])('%s', (_name, pod, services, expected) => {
    expect(defaultSelector(pod, listers(services)).toString()).toBe(expected);
  });

  it('a controller ReplicaSet the informer does not have adds nothing', () => {
    const pod = makePod().name('p').namespace('shop').labels({ app: 'web' }).controlledBy(rs).obj();
    expect(defaultSelector(pod, listers([], [])).isEverything()).toBe(true);
  });
});
