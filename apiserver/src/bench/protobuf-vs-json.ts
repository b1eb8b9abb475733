// The protobuf section of `pnpm bench apiserver`: the same pod creates and the same lists on
// the embedded apiserver, once in JSON and once in Kubernetes protobuf (body and answer, as
// client-go sends them), with the ratio. kube-apiserver's protobuf is faster than its JSON; ours
// should at least not be slower.
import { encodeEnveloped } from '../protobuf/envelope.js';
import { measureRounds, type TargetStats } from '../storage/bench/measure.js';
import { formatTable } from '../storage/bench/report.js';
import type { ChildServer } from './child-process.js';
import { LoadClient } from './http-client.js';
import { podBodyFactory } from './pod-manifest.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const CLIENT_GO_ACCEPT = `${PROTOBUF}, application/json`;

export interface ProtobufBenchOptions {
  readonly apiserver: ChildServer;
  /** Namespaces that exist on the apiserver and hold nothing yet: creates go to the first, the
   * listed pods to the second. */
  readonly namespaces: readonly [string, string];
  readonly rounds: number;
  /** Pods in the listed namespace. */
  readonly listSize: number;
}

type CreateTarget = 'create JSON' | 'create protobuf';
type ListTarget =
  | 'list JSON (watch cache)'
  | 'list protobuf (watch cache)'
  | 'list JSON (storage)'
  | 'list protobuf (storage)';
type Target = CreateTarget | ListTarget;

/** Pod names of one fixed length, so a protobuf body is its template with the name swapped. */
const nameOf = (i: number): string => `pb-${String(i).padStart(9, '0')}`;

/** Pod bodies in protobuf by index, built from one encoded template (no encoding per request). */
function protobufPodFactory(namespace: string): (i: number) => Buffer {
  const placeholder = nameOf(999_999_999);
  const json = JSON.parse(podBodyFactory(namespace)(placeholder)) as unknown;
  const template = encodeEnveloped(json);
  if (!template) throw new Error('the pod has no protobuf encoding');
  const at = template.indexOf(placeholder);
  if (at < 0 || template.indexOf(placeholder, at + 1) >= 0) {
    throw new Error('the pod name must occur once in its protobuf encoding');
  }
  return (i) => {
    const body = Buffer.from(template);
    body.write(nameOf(i), at, 'latin1');
    return body;
  };
}

export async function measureProtobufVsJson(o: ProtobufBenchOptions): Promise<string[]> {
  const client = new LoadClient(o.apiserver.url, 64);
  const [namespace, listNamespace] = o.namespaces;
  const podsPath = `/api/v1/namespaces/${namespace}/pods`;
  const listPodsPath = `/api/v1/namespaces/${listNamespace}/pods`;
  // resourceVersion=0 is served from the watch cache (client-go's informers list so); a limit
  // without it pages from storage (kubectl get lists so).
  const fromCache = `${listPodsPath}?resourceVersion=0`;
  const fromStorage = `${listPodsPath}?limit=${o.listSize}`;
  const jsonPod = podBodyFactory(namespace);
  const protobufPod = protobufPodFactory(namespace);
  const listedPod = podBodyFactory(listNamespace);
  const creates = {
    'create JSON': (i: number) => client.expect(201, 'POST', podsPath, jsonPod(nameOf(i))),
    'create protobuf': (i: number) =>
      client.expect(201, 'POST', podsPath, protobufPod(i), PROTOBUF, CLIENT_GO_ACCEPT),
  };
  const list = (path: string, accept?: string) => () =>
    client.expect(200, 'GET', path, undefined, undefined, accept);
  const lists: Record<ListTarget, () => Promise<string>> = {
    'list JSON (watch cache)': list(fromCache),
    'list protobuf (watch cache)': list(fromCache, CLIENT_GO_ACCEPT),
    'list JSON (storage)': list(fromStorage),
    'list protobuf (storage)': list(fromStorage, CLIENT_GO_ACCEPT),
  };
  const server = { server: () => o.apiserver.cpuSeconds() };
  try {
    // Warm-up, unmeasured, as for the creates section: V8 must be done optimizing both paths.
    let next = 0;
    for (const create of Object.values(creates)) {
      for (let i = 0; i < 3000; i++) await create(next++);
    }
    const createResults = await measureRounds({
      targets: creates,
      concurrencies: [1, 64],
      rounds: o.rounds,
      opsFor: (c) => (c === 1 ? 300 : 2000),
      firstIndex: next,
      cpuClocks: { 'create JSON': server, 'create protobuf': server },
    });
    for (let i = 0; i < o.listSize; i++) {
      await client.expect(201, 'POST', listPodsPath, listedPod(nameOf(i)));
    }
    for (const target of Object.values(lists)) for (let i = 0; i < 30; i++) await target();
    const listResults = await measureRounds({
      targets: lists,
      concurrencies: [1, 8],
      rounds: o.rounds,
      opsFor: (c) => (c === 1 ? 30 : 80),
      cpuClocks: {
        'list JSON (watch cache)': server,
        'list protobuf (watch cache)': server,
        'list JSON (storage)': server,
        'list protobuf (storage)': server,
      },
    });
    const stats = (name: Target, c: number): TargetStats =>
      name === 'create JSON' || name === 'create protobuf'
        ? createResults.stats(name, c)
        : listResults.stats(name, c);
    const rows = [['target', 'c', 'ops/s', 'p50 ms', 'p99 ms', 'server CPU µs/op']];
    const ratios = [['operation', 'c', 'ops/s protobuf ÷ JSON', 'server CPU/op protobuf ÷ JSON']];
    const pairs: [string, Target, Target, readonly number[]][] = [
      ['create', 'create JSON', 'create protobuf', [1, 64]],
      ['list (watch cache)', 'list JSON (watch cache)', 'list protobuf (watch cache)', [1, 8]],
      ['list (storage)', 'list JSON (storage)', 'list protobuf (storage)', [1, 8]],
    ];
    for (const [kind, jsonTarget, protobufTarget, concurrencies] of pairs) {
      for (const c of concurrencies) {
        const json = stats(jsonTarget, c);
        const protobuf = stats(protobufTarget, c);
        for (const [name, s] of [
          [jsonTarget, json],
          [protobufTarget, protobuf],
        ] as const) {
          rows.push([
            name,
            String(c),
            s.opsPerSecond.toFixed(0),
            s.p50Ms.toFixed(2),
            s.p99Ms.toFixed(2),
            s.cpuMicrosPerOp.server?.toFixed(0) ?? '-',
          ]);
        }
        const cpuJson = json.cpuMicrosPerOp.server ?? NaN;
        const cpuProtobuf = protobuf.cpuMicrosPerOp.server ?? NaN;
        ratios.push([
          kind,
          String(c),
          (protobuf.opsPerSecond / json.opsPerSecond).toFixed(2),
          (cpuProtobuf / cpuJson).toFixed(2),
        ]);
      }
    }
    return [
      '',
      `protobuf vs JSON on the embedded apiserver (pod creates; lists of ${o.listSize} pods; median round)`,
      ...formatTable(rows),
      '',
      ...formatTable(ratios),
    ];
  } finally {
    client.close();
  }
}
