// `skiff edit` against a real apiserver beside kubectl 1.33's `edit` on a twin Deployment, with
// an editor script standing in for the user: it keeps a copy of each file it is given (so the
// test sees what was shown, the header and the error comments included) and rewrites it as the
// case says. What both print, their exit codes and the files shown must match.
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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
  empty) : > "$1" ;;
  recolor) sed -i 's/^    color: blue$/    color: red/' "$1" ;;
  nothing) ;;
esac
`;

beforeAll(async () => {
  cluster = await startVerbCluster();
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
});

afterAll(() => cluster.close());

let run = 0;

/** Runs one side with the editor in `editCase`; answers what it printed and the files shown. */
async function edit(
  side: 'skiff' | 'kubectl',
  editCase: string,
  targets: readonly string[],
): Promise<{ ran: Ran; shown: string[] }> {
  const log = join(cluster.dir, `log-${run++}`);
  await mkdir(log);
  Object.assign(process.env, { KUBE_EDITOR: editor, EDIT_LOG: log, EDIT_CASE: editCase });
  const ran =
    side === 'skiff'
      ? await cluster.skiff('edit', ...targets)
      : await cluster.kubectl(minor, 'edit', ...targets);
  const files = (await readdir(log)).sort();
  const shown = await Promise.all(files.map((f) => readFile(join(log, f), 'utf8')));
  return { ran, shown };
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
    it.each(['scale', 'label', 'nothing', 'empty', 'invalid-then-fix', 'invalid-twice', 'rename'])(
      'editor case %s',
      async (editCase) => {
        const skiff = await edit('skiff', editCase, ['deployment/s-web']);
        const kubectl = await edit('kubectl', editCase, ['deployment/k-web']);
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
      60_000,
    );

    it('edits several objects as one List and patches only those that changed', async () => {
      const both = (side: string) => [`deployment/${side}-web`, `configmap/${side}-conf`];
      const skiff = await edit('skiff', 'recolor', both('s'));
      const kubectl = await edit('kubectl', 'recolor', both('k'));
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
    }, 60_000);
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
