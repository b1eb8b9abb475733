// Protobuf over HTTP against a real apiserver: bodies in, answers out (objects, lists, errors,
// watch frames), what stays JSON (Tables, custom resources), and bad bodies as 400s.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectServed, installCrd } from '../crd/testing/install.js';
import { crdPath, makeCrd, resourcePath, widget } from '../crd/testing/crd-fixtures.js';
import { decodeEnveloped, encodeEnveloped, envelope, PROTOBUF_MAGIC } from './envelope.js';
import { startProtobufTestServer, type ProtobufTestServer } from './testing/protobuf-server.js';
import { readWatchEvents } from './testing/watch-reader.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
/** What client-go sends: protobuf first, JSON acceptable. */
const CLIENT_GO_ACCEPT = `${PROTOBUF}, application/json`;
const configMaps = '/api/v1/namespaces/default/configmaps';

const configMap = (name: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { app: 'web' } },
  data: { 'app.conf': 'x=1\n' },
  binaryData: { blob: 'AAEC' },
});

function encode(object: Record<string, unknown>): Buffer {
  const bytes = encodeEnveloped(object);
  if (!bytes) throw new Error(`no protobuf encoding for ${String(object.kind)}`);
  return bytes;
}

let api: ProtobufTestServer;
beforeEach(async () => {
  api = await startProtobufTestServer();
});
afterEach(async () => {
  await api.close();
});

describe('protobuf requests and answers', () => {
  it('creates from a protobuf body and answers in protobuf', async () => {
    const res = await api.send('POST', configMaps, {
      body: encode(configMap('a')),
      contentType: PROTOBUF,
      accept: CLIENT_GO_ACCEPT,
    });
    expect(res.status).toBe(201);
    expect(res.contentType).toBe(PROTOBUF);
    const created = decodeEnveloped(res.body).object;
    expect(created).toMatchObject({
      ...configMap('a'),
      metadata: { name: 'a', namespace: 'default' },
    });
    expect((created.metadata as { uid?: string }).uid).toMatch(/^[0-9a-f-]{36}$/);

    const json = await api.client.get(`${configMaps}/a`);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.body).toMatchObject(configMap('a'));
  });

  it('gets and lists in protobuf only when the client asks for it first', async () => {
    await api.client.post(configMaps, configMap('a'));
    await api.client.post(configMaps, configMap('b'));

    const one = await api.send('GET', `${configMaps}/a`, { accept: CLIENT_GO_ACCEPT });
    expect(one.contentType).toBe(PROTOBUF);
    expect(decodeEnveloped(one.body).object).toMatchObject(configMap('a'));

    const list = await api.send('GET', configMaps, { accept: CLIENT_GO_ACCEPT });
    const decoded = decodeEnveloped(list.body);
    expect(decoded.kind).toBe('ConfigMapList');
    const items = decoded.object.items as { metadata: { name: string } }[];
    expect(items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
    expect(decoded.object.metadata).toMatchObject({
      resourceVersion: expect.any(String) as unknown,
    });

    const jsonFirst = await api.send('GET', `${configMaps}/a`, {
      accept: `application/json, ${PROTOBUF}`,
    });
    expect(jsonFirst.contentType).toBe('application/json');
  });

  it('answers errors as protobuf Status objects', async () => {
    const res = await api.send('GET', `${configMaps}/missing`, { accept: CLIENT_GO_ACCEPT });
    expect(res.status).toBe(404);
    expect(res.contentType).toBe(PROTOBUF);
    expect(decodeEnveloped(res.body).object).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'configmaps "missing" not found',
      details: { name: 'missing', kind: 'configmaps' },
    });
  });

  it('keeps Tables in JSON', async () => {
    await api.client.post(configMaps, configMap('a'));
    const res = await api.send('GET', configMaps, {
      accept: `application/json;as=Table;v=v1;g=meta.k8s.io, ${CLIENT_GO_ACCEPT}`,
    });
    expect(res.contentType).toBe('application/json');
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ kind: 'Table' });
  });

  it('updates, deletes with protobuf DeleteOptions and writes subresources from protobuf', async () => {
    const created = (await api.client.post(configMaps, configMap('a'))).body as {
      metadata: Record<string, unknown>;
    };
    const updated = await api.send('PUT', `${configMaps}/a`, {
      body: encode({ ...configMap('a'), metadata: created.metadata, data: { k: 'v' } }),
      contentType: PROTOBUF,
      accept: CLIENT_GO_ACCEPT,
    });
    expect(updated.status).toBe(200);
    expect(decodeEnveloped(updated.body).object.data).toEqual({ k: 'v' });

    const deleted = await api.send('DELETE', `${configMaps}/a`, {
      body: encode({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }),
      contentType: PROTOBUF,
      accept: CLIENT_GO_ACCEPT,
    });
    expect(deleted.status).toBe(200);

    const deployments = '/apis/apps/v1/namespaces/default/deployments';
    await api.client.post(deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    });
    const scaled = await api.send('PUT', `${deployments}/web/scale`, {
      body: encode({
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'web', namespace: 'default' },
        spec: { replicas: 0 },
      }),
      contentType: PROTOBUF,
      accept: CLIENT_GO_ACCEPT,
    });
    expect(scaled.status).toBe(200);
    // ScaleSpec.replicas is a Go value with omitempty: zero is simply not there, as in Kubernetes.
    expect(decodeEnveloped(scaled.body).object).toMatchObject({ kind: 'Scale', spec: {} });
    const deployment = await api.client.get(`${deployments}/web`);
    expect((deployment.body as { spec: { replicas: number } }).spec.replicas).toBe(0);
  });

  it('binds a pod from a protobuf Binding', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    await api.client.post(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    const bound = await api.send('POST', `${pods}/p/binding`, {
      body: encode({
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p' },
        target: { kind: 'Node', name: 'node-1' },
      }),
      contentType: PROTOBUF,
    });
    expect(bound.status).toBe(201);
    const pod = await api.client.get(`${pods}/p`);
    expect((pod.body as { spec: { nodeName: string } }).spec.nodeName).toBe('node-1');
  });

  it('streams watch events as length-prefixed protobuf WatchEvents', async () => {
    await api.client.post(configMaps, configMap('before'));
    const res = await fetch(`${api.url}${configMaps}?watch=1&resourceVersion=0`, {
      headers: { accept: `${PROTOBUF};stream=watch, ${CLIENT_GO_ACCEPT}` },
    });
    expect(res.headers.get('content-type')).toBe(`${PROTOBUF};stream=watch`);
    const body = res.body;
    if (!body) throw new Error('watch has no body');
    const reading = readWatchEvents(body, 3);
    await api.client.post(configMaps, configMap('after'));
    await api.client.delete(`${configMaps}/after`);
    const events = await reading;
    expect(events.map((e) => [e.type, (e.object.metadata as { name: string }).name])).toEqual([
      ['ADDED', 'before'],
      ['ADDED', 'after'],
      ['DELETED', 'after'],
    ]);
    expect(events[0]?.object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
  });
});

describe('protobuf bodies that cannot be decoded', () => {
  const good = encode(configMap('a'));
  const cases: [string, Buffer, RegExp][] = [
    ['random bytes', Buffer.from('9f3c00a17be2d4', 'hex'), /does not begin with .*k8s/],
    ['only the prefix', PROTOBUF_MAGIC, /empty after its prefix/],
    ['a truncated message', good.subarray(0, good.length - 5), /the message is truncated/],
    [
      'an envelope without a kind',
      envelope('v1', '', Buffer.alloc(0)),
      /'Kind' is missing in the protobuf envelope/,
    ],
    [
      'an unknown kind',
      envelope('v1', 'Gadget', Buffer.alloc(0)),
      /no kind "Gadget" is registered for version "v1"/,
    ],
    ['JSON sent as protobuf', Buffer.from(JSON.stringify(configMap('a'))), /does not begin/],
  ];

  it.each(cases)('answers %s with 400', async (_name, body, message) => {
    const res = await api.send('POST', configMaps, { body, contentType: PROTOBUF });
    expect(res.status).toBe(400);
    const status = JSON.parse(res.body.toString('utf8')) as { reason: string; message: string };
    expect(status.reason).toBe('BadRequest');
    expect(status.message).toMatch(message);
  });

  it('answers an object of the wrong kind with 400', async () => {
    const secret = encode({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    const res = await api.send('POST', configMaps, { body: secret, contentType: PROTOBUF });
    expect(res.status).toBe(400);
    expect(res.body.toString('utf8')).toMatch(
      /the body is a Secret \(v1\) but configmaps holds ConfigMap/,
    );
  });
});

describe('custom resources', () => {
  it('are defined by a CustomResourceDefinition sent in protobuf', async () => {
    const crd = makeCrd().build();
    const created = await api.send('POST', crdPath(), {
      body: encode(crd as unknown as Record<string, unknown>),
      contentType: PROTOBUF,
      accept: CLIENT_GO_ACCEPT,
    });
    expect(created.status).toBe(201);
    expect(decodeEnveloped(created.body).object).toMatchObject({
      kind: 'CustomResourceDefinition',
      spec: { group: crd.spec.group, names: crd.spec.names },
    });
    await expectServed(api.client, crd);
    const stored = await api.client.get(crdPath(`${crd.spec.names.plural}.${crd.spec.group}`));
    expect((stored.body as { spec: unknown }).spec).toMatchObject({
      group: crd.spec.group,
      scope: crd.spec.scope,
      names: crd.spec.names,
      versions: [{ name: 'v1', served: true, storage: true }],
    });
  });

  it('refuse protobuf bodies with 415, as Kubernetes does, and answer in JSON', async () => {
    const crd = makeCrd().build();
    await installCrd(api.client, crd);
    const res = await api.send('POST', resourcePath(crd), {
      body: envelope('example.com/v1', 'Widget', Buffer.alloc(0)),
      contentType: PROTOBUF,
    });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    });

    await api.client.post(resourcePath(crd), widget('w', { size: 1 }));
    const got = await api.send('GET', resourcePath(crd, { name: 'w' }), {
      accept: CLIENT_GO_ACCEPT,
    });
    expect(got.status).toBe(200);
    expect(got.contentType).toBe('application/json');
  });
});
