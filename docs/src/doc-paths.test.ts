// The docs name real files: the architecture pages map Kubernetes' concepts to paths, and a
// reader follows them. A file renamed or moved without its page would leave a dead end, so every
// repository path a page names in inline code (`scheduler/src/queue/scheduling-queue.ts`) and
// every relative link target must exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const docs = join(repo, 'docs');

/** The repository's top-level folders: a code word starting with one of them is a path. */
const topLevel = new Set(
  readdirSync(repo, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
    .map((d) => d.name),
);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Text outside fenced code blocks (those hold commands and output, not references). */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
}

/** Repository paths named in inline code: words like `kubelet/src/pleg/events.ts`. */
function namedPaths(markdown: string): string[] {
  const spans = [...prose(markdown).matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
  return spans
    .flatMap((span) => span.split(/\s+/))
    .map((word) => word.replace(/[),.:;]+$/, ''))
    .filter((word) => /^[\w.-]+\/[\w./-]*$/.test(word))
    .filter((word) => topLevel.has(word.split('/')[0] ?? ''));
}

/** Relative link targets, without their #anchors: `[lab](../lab.md#vms)` → `../lab.md`. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => (m[1] ?? '').split('#')[0] ?? '')
    .filter((target) => target !== '' && !/^[a-z]+:/.test(target));
}

describe('paths named in docs/', () => {
  it('finds repository paths in inline code and relative links, not commands or URLs', () => {
    const page = [
      'See `kubelet/src/pleg/events.ts`, `scheduler/src/plugins/` and `status.ts`.',
      'Run `kubectl apply -f manifests/demo/web.yaml`; not `/api/v1/pods` or `apps/v1`.',
      '[lab](../lab.md#vms), [k8s](https://kubernetes.io/docs/), [here](#top)',
      '```sh',
      'cat kubelet/src/not-a-reference.ts',
      '```',
    ].join('\n');
    expect(namedPaths(page)).toEqual([
      'kubelet/src/pleg/events.ts',
      'scheduler/src/plugins/',
      'manifests/demo/web.yaml',
    ]);
    expect(linkTargets(page)).toEqual(['../lab.md']);
  });

  for (const file of markdownFiles(docs)) {
    const name = relative(repo, file);
    it(`every path ${name} names exists`, () => {
      const text = readFileSync(file, 'utf8');
      const missing = [
        ...namedPaths(text).filter((path) => !existsSync(join(repo, path))),
        ...linkTargets(text).filter((target) => !existsSync(join(dirname(file), target))),
      ];
      expect(missing).toEqual([]);
    });
  }
});
