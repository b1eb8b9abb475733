// The patches kubectl edit would compute (apimachinery's CreateTwoWayMergePatch with
// $setElementOrder), and that the apiserver's strategic merge turns the original into the edited
// object with each of them. The end-to-end comparison with kubectl's own requests is in
// ../../commands/edit.test.ts.
import { describe, expect, it } from 'vitest';
import {
  applyStrategicMergePatch,
  patchMetaForKind,
  type JsonObject,
} from '@skiff/apiserver/patch';
import { createTwoWayStrategicMergePatch } from './strategic-merge-patch.js';

const main = { name: 'main', image: 'busybox', ports: [{ containerPort: 80 }] };
const side = { name: 'side', image: 'busybox' };

function pod(spec: JsonObject, metadata: JsonObject = { name: 'p' }): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function deployment(spec: JsonObject): JsonObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec };
}

const cases: [string, JsonObject, JsonObject, JsonObject][] = [
  [
    "a container's image: its name and the image, and the list's order",
    pod({ containers: [main, side] }),
    pod({ containers: [{ ...main, image: 'busybox:1.36' }, side] }),
    {
      spec: {
        containers: [{ name: 'main', image: 'busybox:1.36' }],
        '$setElementOrder/containers': [{ name: 'main' }, { name: 'side' }],
      },
    },
  ],
  [
    'a container added first: sent whole, the new order beside it',
    pod({ containers: [main] }),
    pod({ containers: [side, main] }),
    {
      spec: {
        containers: [side],
        '$setElementOrder/containers': [{ name: 'side' }, { name: 'main' }],
      },
    },
  ],
  [
    'a container removed: a delete directive',
    pod({ containers: [main, side] }),
    pod({ containers: [main] }),
    {
      spec: {
        containers: [{ name: 'side', $patch: 'delete' }],
        '$setElementOrder/containers': [{ name: 'main' }],
      },
    },
  ],
  [
    'containers only reordered: the order alone',
    pod({ containers: [main, side] }),
    pod({ containers: [side, main] }),
    { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'main' }] } },
  ],
  [
    'a nested merged list (ports by containerPort), changed and extended',
    pod({ containers: [main] }),
    pod({
      containers: [{ ...main, ports: [{ containerPort: 8080 }, { containerPort: 80, name: 'h' }] }],
    }),
    {
      spec: {
        containers: [
          {
            name: 'main',
            ports: [{ containerPort: 8080 }, { containerPort: 80, name: 'h' }],
            '$setElementOrder/ports': [{ containerPort: 8080 }, { containerPort: 80 }],
          },
        ],
        '$setElementOrder/containers': [{ name: 'main' }],
      },
    },
  ],
  [
    'an atomic list (command) replaced whole, a label removed as null',
    pod({ containers: [{ ...main, command: ['sleep', '1'] }] }, { name: 'p', labels: { a: 'b' } }),
    pod({ containers: [{ ...main, command: ['sleep', '2'] }] }, { name: 'p' }),
    {
      metadata: { labels: null },
      spec: {
        containers: [{ name: 'main', command: ['sleep', '2'] }],
        '$setElementOrder/containers': [{ name: 'main' }],
      },
    },
  ],
  [
    'finalizers (a merged list of primitives): added, removed, order',
    pod({ containers: [main] }, { name: 'p', finalizers: ['a/x', 'b/y'] }),
    pod({ containers: [main] }, { name: 'p', finalizers: ['c/z', 'a/x'] }),
    {
      metadata: {
        finalizers: ['c/z'],
        '$deleteFromPrimitiveList/finalizers': ['b/y'],
        '$setElementOrder/finalizers': ['c/z', 'a/x'],
      },
    },
  ],
  [
    'a retainKeys map (Deployment.spec.strategy) lists the keys it keeps',
    deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
    deployment({ strategy: { type: 'Recreate' } }),
    { spec: { strategy: { type: 'Recreate', rollingUpdate: null, $retainKeys: ['type'] } } },
  ],
  ['nothing changed: an empty patch', pod({ containers: [main] }), pod({ containers: [main] }), {}],
];

describe('createTwoWayStrategicMergePatch', () => {
  it.each(cases)('%s', (_name, original, modified, expected) => {
    const { apiVersion, kind } = original;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new Error('no kind');
    const meta = patchMetaForKind(apiVersion, kind);
    if (meta === undefined) throw new Error('a built-in kind has patch metadata');
    const patch = createTwoWayStrategicMergePatch(original, modified, meta);
    expect(patch).toEqual(expected);
    expect(applyStrategicMergePatch(original, patch, { apiVersion, kind })).toEqual(modified);
  });

  it('fails, as Go does, on an element without its merge key', () => {
    const meta = patchMetaForKind('v1', 'Pod') ?? {};
    expect(() =>
      createTwoWayStrategicMergePatch(
        pod({ containers: [main] }),
        pod({ containers: [{ image: 'x' }] }),
        meta,
      ),
    ).toThrow('does not contain declared merge key: name');
  });
});
