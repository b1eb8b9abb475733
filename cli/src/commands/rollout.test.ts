// `skiff rollout` against a real apiserver with the real controller-manager (its Deployment
// controller makes the ReplicaSets that carry revisions; no kubelet, so pods never become
// available), each subcommand run by skiff on one Deployment and by kubectl 1.33 on its twin.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlBinary,
  startVerbCluster,
  type Ran,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';
import { startControllerManagerInProcess } from '../up/in-process.js';
import { rolloutState } from './rollout.js';

const minor = '1.33';
let cluster: VerbCluster;
let stopControllers: () => Promise<void>;

beforeAll(async () => {
  cluster = await startVerbCluster();
  const controllers = await startControllerManagerInProcess(
    cluster.kubeconfig,
    join(cluster.dir, 'cm.log'),
  );
  stopControllers = () => controllers.stop();
});
afterAll(async () => {
  await stopControllers();
  await cluster.close();
});

async function both(step: (name: string) => string[]): Promise<[Ran, Ran]> {
  return [await cluster.skiff(...step('s-web')), await cluster.kubectl(minor, ...step('k-web'))];
}

const asTwin = (t: string) => t.replaceAll('s-web', 'k-web');

function expectSame([skiff, kubectl]: [Ran, Ran]): void {
  expect({ out: asTwin(skiff.out), err: asTwin(skiff.err), code: skiff.code }).toEqual(kubectl);
}

async function revisionsOf(name: string): Promise<string> {
  const ran = await cluster.skiff(
    'get',
    'rs',
    '-l',
    `app=${name}`,
    '-o',
    'jsonpath={.items[*].metadata.annotations.deployment\\.kubernetes\\.io/revision}',
  );
  return ran.out.split(' ').filter(Boolean).sort().join(' ');
}

describe.skipIf(kubectlBinary(minor) === undefined)(
  `skiff rollout prints what kubectl ${minor} prints`,
  () => {
    it('history, undo, pause, resume, restart and a status that waits', async () => {
      for (const name of ['s-web', 'k-web']) {
        const created = await cluster.kubectl(
          minor,
          'create',
          'deployment',
          name,
          '--image=busybox:1',
          '--replicas=1',
        );
        expect(created.code).toBe(0);
      }
      for (const name of ['s-web', 'k-web'])
        await expect.poll(() => revisionsOf(name), { timeout: 30_000 }).toBe('1');
      for (const name of ['s-web', 'k-web']) {
        await cluster.kubectl(minor, 'set', 'image', `deployment/${name}`, 'busybox=busybox:2');
        await expect.poll(() => revisionsOf(name), { timeout: 30_000 }).toBe('1 2');
      }
      expectSame(await both((n) => ['rollout', 'history', `deployment/${n}`]));
      // Each twin's controller writes its status at its own moment ("spec update to be observed",
      // then "0 out of 1 new replicas", then settled): compare the first pair of answers that tell
      // the same state. Asking again afterwards would race the controllers' next writes.
      const status = (n: string) => ['rollout', 'status', `deployment/${n}`, '--watch=false'];
      let sameState: [Ran, Ran] | undefined;
      await expect
        .poll(
          async () => {
            const pair = await both(status);
            if (asTwin(pair[0].out) === pair[1].out) sameState = pair;
            return sameState !== undefined;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      if (sameState === undefined) throw new Error('the twins never told the same rollout state');
      expectSame(sameState);
      expectSame(await both((n) => ['rollout', 'pause', `deployment/${n}`]));
      expectSame(await both((n) => ['rollout', 'pause', `deployment/${n}`]));
      expectSame(await both((n) => ['rollout', 'undo', `deployment/${n}`]));
      expectSame(await both((n) => ['rollout', 'restart', `deployment/${n}`]));
      expectSame(await both((n) => ['rollout', 'resume', `deployment/${n}`]));
      expectSame(await both((n) => ['rollout', 'resume', `deployment/${n}`]));
      expectSame(await both((n) => ['rollout', 'undo', `deployment/${n}`, '--to-revision=7']));
      expectSame(await both((n) => ['rollout', 'undo', `deployment/${n}`, '--to-revision=1']));
      for (const name of ['s-web', 'k-web']) {
        const image = await cluster.skiff(
          'get',
          'deploy',
          name,
          '-o',
          'jsonpath={.spec.template.spec.containers[0].image}',
        );
        expect(image.out).toBe('busybox:1');
      }
    }, 120_000);
  },
);

describe("rollout status's lines (kubectl's DeploymentStatusViewer)", () => {
  const deployment = (status: object, generation = 1, replicas = 3) => ({
    metadata: { name: 'web', generation },
    spec: { replicas, selector: {}, template: {} },
    status: { observedGeneration: 1, ...status },
  });
  it.each([
    [deployment({}, 2), 'Waiting for deployment spec update to be observed...\n', false],
    [
      deployment({ updatedReplicas: 1 }),
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n',
      false,
    ],
    [
      deployment({ updatedReplicas: 3, replicas: 4 }),
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n',
      false,
    ],
    [
      deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 }),
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n',
      false,
    ],
    [
      deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
      'deployment "web" successfully rolled out\n',
      true,
    ],
  ])('%#: %j', (d, line, done) => {
    expect(rolloutState(d as never)).toEqual({ line, done });
  });

  it('fails when the progress deadline is exceeded', () => {
    const d = deployment({
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(() => rolloutState(d as never)).toThrow(
      'deployment "web" exceeded its progress deadline',
    );
  });
});
