// `skiff edit` against a real apiserver beside kubectl 1.33's `edit` on a twin Deployment, with
// an editor script standing in for the user: it keeps a copy of each file it is given (so the
// test sees what was shown, the header and the error comments included) and rewrites it as the
// case says. What both print, their exit codes and the files shown must match, and so must the
// PATCH requests they send (content type and body: kubectl's strategic merge patch), which both
// send through a proxy that records them.
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlBinary,
  startVerbCluster,
  type Ran,
  type VerbCluster,
} from '../kubectl/testing/verb-harness.js';
import { createMergePatch } from '../kubectl/edit/merge-patch.js';
import { editorCommand } from '../kubectl/edit/editor.js';
import { header, manualStrip } from '../kubectl/edit/edit-file.js';

const minor = '1.33';
let cluster: VerbCluster;
let editor: string;

interface SentPatch {
  readonly contentType: string;
  readonly body: unknown;
}

/** What went through the proxy, PATCH requests only. */
const patches: SentPatch[] = [];
let proxy: Server;
let proxyUrl: string;

/** Forwards every request to the apiserver as it is, keeping a copy of each PATCH. */
async function startRecordingProxy(target: string): Promise<void> {
  const upstream = new URL(target);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'PATCH') {
        patches.push({
          contentType: req.headers['content-type'] ?? '',
          body: JSON.parse(body.toString('utf8')) as unknown,
        });
      }
      const forward = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && name !== 'host') forward.setHeader(name, value);
      }
      forward.on('error', (err) => res.destroy(err));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const editorScript = `#!/bin/sh
n=$(ls "$EDIT_LOG" | wc -l)
cp "$1" "$EDIT_LOG/$n.yaml"
case "$EDIT_CASE" in
  scale) sed -i 's/^  replicas: 2$/  replicas: 3/' "$1" ;;
  label) sed -i 's/^    app: \\(.*\\)$/    app: \\1\\n    tier: front/' "$1" ;;
  invalid-then-fix)
    if [ "$n" = 0 ]; then sed -i 's/^  replicas: [0-9]*$/  replicas: -1/' "$1";
    else sed -i 's/^  replicas: -1$/  replicas: 4/' "$1"; fi ;;
  invalid-twice) sed -i 's/^  replicas: [0-9]*$/  replicas: -1/' "$1" ;;
  rename) sed -i 's/^  name: \\(.*\\)-web$/  name: \\1-renamed/' "$1" ;;
  image) sed -i 's/^        image: busybox$/        image: busybox:1.36/' "$1" ;;
  sidecar) sed -i 's/^      containers:$/      containers:\\n      - name: side\\n        image: busybox/' "$1" ;;
  env) sed -i 's/^        name: main$/        name: main\\n        env:\\n        - name: GREETING\\n          value: hi/' "$1" ;;
  empty) : > "$1" ;;
  recolor) sed -i 's/^    color: blue$/    color: red/' "$1" ;;
  nothing) ;;
esac
`;

// A bound that only catches a hang: the four creates took over 60 s once, at load average 35.
beforeAll(async () => {
  cluster = await startVerbCluster();
  await startRecordingProxy(cluster.url);
  editor = join(cluster.dir, 'editor.sh');
  await writeFile(editor, editorScript);
  await chmod(editor, 0o755);
  for (const name of ['s-web', 'k-web']) {
    const file = join(cluster.dir, `${name}.yaml`);
    await writeFile(
      file,
      `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, labels: { app: ${name} } }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: main, image: busybox, command: [sleep, "3600"] }] }
`,
    );
    expect((await cluster.skiff('create', '-f', file)).code).toBe(0);
  }
  for (const name of ['s-conf', 'k-conf']) {
    const file = join(cluster.dir, `${name}.yaml`);
    await writeFile(
      file,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { color: blue }\n`,
    );
    expect((await cluster.skiff('create', '-f', file)).code).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await cluster.close();
});

let run = 0;

/** Runs one side with the editor in `editCase`; answers what it printed and the files shown. */
async function edit(
  side: 'skiff' | 'kubectl',
  editCase: string,
  targets: readonly string[],
): Promise<{ ran: Ran; shown: string[]; sent: SentPatch[] }> {
  const log = join(cluster.dir, `log-${run++}`);
  await mkdir(log);
  Object.assign(process.env, { KUBE_EDITOR: editor, EDIT_LOG: log, EDIT_CASE: editCase });
  patches.length = 0;
  const args = ['edit', '--server', proxyUrl, ...targets];
  const ran =
    side === 'skiff' ? await cluster.skiff(...args) : await cluster.kubectl(minor, ...args);
  const files = (await readdir(log)).sort();
  const shown = await Promise.all(files.map((f) => readFile(join(log, f), 'utf8')));
  return { ran, shown, sent: patches.splice(0) };
}

/** The PATCH requests of one side as the other side's would read (the twins' names swapped). */
function asTwin(sent: readonly SentPatch[]): SentPatch[] {
  return sent.map(({ contentType, body }) => ({
    contentType,
    body: JSON.parse(JSON.stringify(body).replaceAll('s-web', 'k-web')) as unknown,
  }));
}

/** The twins differ in name, uid, versions, times and temp file names; nothing else may. */
function normal(text: string): string {
  return text
    .replaceAll('s-web', 'k-web')
    .replace(/(uid|resourceVersion|creationTimestamp|time): .*/g, '$1: <x>')
    .replace(/"\/tmp\/[^"]*-edit-\d+\.yaml"/g, '<file>');
}

describe.skipIf(kubectlBinary(minor) === undefined)(
  `skiff edit does what kubectl ${minor} edit does`,
  () => {
    it.each([
      ['scale', 1],
      ['label', 1],
      ['nothing', 0],
      ['empty', 0],
      ['invalid-then-fix', 2],
      ['invalid-twice', 1],
      ['rename', 0],
      ['image', 1],
      ['sidecar', 1],
      ['env', 1],
    ] as const)(
      'editor case %s, %i PATCH sent',
      async (editCase, requests) => {
        const skiff = await edit('skiff', editCase, ['deployment/s-web']);
        const kubectl = await edit('kubectl', editCase, ['deployment/k-web']);
        expect(kubectl.sent.map((p) => p.contentType)).toEqual(
          Array<string>(requests).fill('application/strategic-merge-patch+json'),
        );
        expect(asTwin(skiff.sent)).toEqual(kubectl.sent);
        expect(normal(skiff.ran.out)).toBe(kubectl.ran.out);
        expect(normal(skiff.ran.err)).toBe(normal(kubectl.ran.err));
        expect(skiff.ran.code).toBe(kubectl.ran.code);
        expect(skiff.shown.map(normal)).toEqual(kubectl.shown.map(normal));
        const [s, k] = await Promise.all([
          cluster.skiff('get', 'deploy', 's-web', '-o', 'yaml'),
          cluster.skiff('get', 'deploy', 'k-web', '-o', 'yaml'),
        ]);
        expect(normal(s.out)).toBe(normal(k.out));
      },
      120_000,
    );

    it('edits several objects as one List and patches only those that changed', async () => {
      const both = (side: string) => [`deployment/${side}-web`, `configmap/${side}-conf`];
      const skiff = await edit('skiff', 'recolor', both('s'));
      const kubectl = await edit('kubectl', 'recolor', both('k'));
      expect(skiff.sent).toEqual(kubectl.sent);
      expect(kubectl.sent.map((p) => p.contentType)).toEqual([
        'application/strategic-merge-patch+json',
      ]);
      expect(normal(skiff.ran.out).replaceAll('s-conf', 'k-conf')).toBe(kubectl.ran.out);
      expect(skiff.ran.err).toBe(kubectl.ran.err);
      expect(skiff.ran.code).toBe(kubectl.ran.code);
      expect(skiff.shown.map((t) => normal(t).replaceAll('s-conf', 'k-conf'))).toEqual(
        kubectl.shown.map(normal),
      );
      expect(kubectl.shown[0]).toContain('\nkind: List\n');
      expect(kubectl.ran.out).toBe('deployment.apps/k-web skipped\nconfigmap/k-conf edited\n');
      const color = await cluster.skiff('get', 'cm', 's-conf', '-o', 'jsonpath={.data.color}');
      expect(color.out).toBe('red');
    }, 120_000);
  },
);

describe("edit's pieces", () => {
  it('patches what changed, nulls what was removed and replaces changed lists whole', () => {
    expect(
      createMergePatch(
        { a: 1, b: { c: 2, d: 3 }, list: [1, 2], gone: 'x' },
        { a: 1, b: { c: 5, d: 3 }, list: [2], added: true },
      ),
    ).toEqual({ gone: null, b: { c: 5 }, list: [2], added: true });
  });

  it.each([
    [
      { KUBE_EDITOR: 'code --wait', EDITOR: 'nano' },
      { argv: ['code', '--wait'], shell: false },
    ],
    [{ EDITOR: 'nano' }, { argv: ['nano'], shell: false }],
    [{}, { argv: ['vi'], shell: false }],
    [
      { EDITOR: "emacs -nw --eval '(x)'", SHELL: '/bin/sh' },
      { argv: ['/bin/sh', '-c', "emacs -nw --eval '(x)'"], shell: true },
    ],
  ])('chooses the editor from %j', (env, expected) => {
    expect(editorCommand(env)).toEqual(expected);
  });

  it('puts the reasons of a failed save under the header and strips old comments', () => {
    const text = header([
      { head: 'deployments.apps "web" was not valid', other: ['spec.replicas: bad'] },
    ]);
    expect(
      text.endsWith('#\n# deployments.apps "web" was not valid:\n# * spec.replicas: bad\n#\n'),
    ).toBe(true);
    expect(manualStrip('# c\napiVersion: v1\n  # indented\n#!keep\n')).toBe(
      'apiVersion: v1\n#!keep\n',
    );
  });
});
