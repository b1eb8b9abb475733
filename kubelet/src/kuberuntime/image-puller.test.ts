import { status } from '@grpc/grpc-js';
import type { Pod, Secret } from '@skiff/api';
import { FakeClock } from '@skiff/api/testing';
import type { AuthConfig, Image__Output } from '@skiff/proto';
import { describe, expect, it } from 'vitest';
import type { ImageService } from '../cri/index.js';
import { KeyedBackoff } from './backoff.js';
import { ImagePullError, ImagePuller } from './image-puller.js';

const REGISTRY = '127.0.0.1:5000';
const IMAGE = `${REGISTRY}/secure/app:v1`;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A runtime whose registry takes only `accepts` (username:password), or anyone when empty. */
class FakeImages implements ImageService {
  readonly pulls: (AuthConfig | undefined)[] = [];
  constructor(private readonly accepts: readonly string[] = []) {}
  imageStatus(): Promise<Image__Output | undefined> {
    return Promise.resolve(undefined);
  }
  pullImage(image: string, auth?: AuthConfig): Promise<string> {
    this.pulls.push(auth);
    const who = auth === undefined ? '' : `${auth.username ?? ''}:${auth.password ?? ''}`;
    if (this.accepts.length === 0 || this.accepts.includes(who)) {
      return Promise.resolve(`sha256:${image.length}`);
    }
    return Promise.reject(
      Object.assign(new Error('denied'), {
        code: status.UNAUTHENTICATED,
        details: `pull access denied for secure/app (as ${who === '' ? 'nobody' : who})`,
      }),
    );
  }
}

function dockerConfigSecret(name: string, registry: string, user: string, pw: string): Secret {
  const config = { auths: { [registry]: { auth: b64(`${user}:${pw}`) } } };
  return {
    metadata: { name, namespace: 'default' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify(config)) },
  };
}

const pod = (pullSecrets: string[]): Pod => ({
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: {
    containers: [{ name: 'app', image: IMAGE }],
    imagePullSecrets: pullSecrets.map((name) => ({ name })),
  },
});

function setup(images: FakeImages, secrets: Secret[] = []) {
  const clock = new FakeClock();
  const missing: string[][] = [];
  const puller = new ImagePuller({
    images,
    backoff: new KeyedBackoff(),
    now: () => clock.now(),
    getSecret: (namespace, name) =>
      Promise.resolve(
        secrets.find((s) => s.metadata.name === name && s.metadata.namespace === namespace),
      ),
    onPullSecretsMissing: (_pod, names) => missing.push([...names]),
  });
  const pull = (p: Pod) => {
    const container = p.spec?.containers[0] ?? { name: 'app' };
    return puller.ensureImageExists(p, container);
  };
  return { clock, missing, pull };
}

async function pullError(promise: Promise<unknown>): Promise<ImagePullError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ImagePullError))
    throw new Error(`expected an ImagePullError, got ${String(err)}`);
  return err;
}

describe('ImagePuller with imagePullSecrets', () => {
  it('pulls anonymously when the pod names no secret', async () => {
    const images = new FakeImages();
    await setup(images).pull(pod([]));
    expect(images.pulls).toEqual([undefined]);
  });

  it("passes the matching secret's username and password in the CRI AuthConfig", async () => {
    const images = new FakeImages(['alice:s3cret']);
    const { pull } = setup(images, [dockerConfigSecret('regcred', REGISTRY, 'alice', 's3cret')]);
    expect((await pull(pod(['regcred']))).pulled).toBe(true);
    expect(images.pulls).toEqual([{ username: 'alice', password: 's3cret' }]);
  });

  it('pulls anonymously when the secret is for another registry', async () => {
    const images = new FakeImages();
    const { pull } = setup(images, [dockerConfigSecret('other', 'quay.io', 'bob', 'pw')]);
    await pull(pod(['other']));
    expect(images.pulls).toEqual([undefined]);
  });

  it('tries each matching credential in turn until one works', async () => {
    const images = new FakeImages(['alice:new']);
    const { pull } = setup(images, [
      dockerConfigSecret('old', REGISTRY, 'alice', 'old'),
      dockerConfigSecret('new', REGISTRY, 'alice', 'new'),
    ]);
    await pull(pod(['old', 'new']));
    expect(images.pulls.map((a) => a?.password)).toEqual(['old', 'new']);
  });

  it("fails with ErrImagePull and the runtime's rpc error when no credential works", async () => {
    const images = new FakeImages(['alice:s3cret']);
    const { pull } = setup(images);
    const err = await pullError(pull(pod([])));
    expect(err.reason).toBe('ErrImagePull');
    expect(err.message).toBe(
      'rpc error: code = Unauthenticated desc = pull access denied for secure/app (as nobody)',
    );
    expect(err.event).toBe(`Failed to pull image "${IMAGE}": ${err.message}`);
  });

  it('reports every failed credential as one aggregate error', async () => {
    const images = new FakeImages(['alice:s3cret']);
    const { pull } = setup(images, [
      dockerConfigSecret('a', REGISTRY, 'a', '1'),
      dockerConfigSecret('b', REGISTRY, 'b', '2'),
    ]);
    const err = await pullError(pull(pod(['a', 'b'])));
    expect(err.message).toBe(
      '[rpc error: code = Unauthenticated desc = pull access denied for secure/app (as a:1), ' +
        'rpc error: code = Unauthenticated desc = pull access denied for secure/app (as b:2)]',
    );
  });

  it('reports secrets it cannot find and pulls without them', async () => {
    const images = new FakeImages();
    const { pull, missing } = setup(images);
    await pull(pod(['gone', '', 'also-gone']));
    expect(missing).toEqual([['gone', 'also-gone']]);
    expect(images.pulls).toEqual([undefined]);
  });

  it('a malformed docker config fails the pull with the reason', async () => {
    const bad: Secret = {
      metadata: { name: 'bad', namespace: 'default' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': b64('{not json') },
    };
    const images = new FakeImages();
    const err = await pullError(setup(images, [bad]).pull(pod(['bad'])));
    expect(err.reason).toBe('ErrImagePull');
    expect(images.pulls).toEqual([]);
  });

  it('backs off after a failed pull, without asking the registry, until the back-off ends', async () => {
    const images = new FakeImages(['alice:s3cret']);
    const { pull, clock } = setup(images);
    expect((await pullError(pull(pod([])))).reason).toBe('ErrImagePull');
    const backOff = await pullError(pull(pod([])));
    expect(backOff.reason).toBe('ImagePullBackOff');
    expect(backOff.message).toBe(`Back-off pulling image "${IMAGE}"`);
    expect(images.pulls).toHaveLength(1);
    await clock.advance(10_000);
    expect((await pullError(pull(pod([])))).reason).toBe('ErrImagePull');
    expect(images.pulls).toHaveLength(2);
  });
});
