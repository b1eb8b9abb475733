// `skiff new controller`: copy the template project (cli/templates/controller, a working
// controller for a `Greeting` kind) with the user's names put in, and link what it needs from
// this skiff checkout into its node_modules — @skiff/client and @skiff/api (run from their
// TypeScript sources), vitest, TypeScript, tsx and Node's types — so it works in a folder of
// its own with nothing to download.
import { mkdir, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultUpStateDir } from '../up/state-dir.js';
import type { ControllerNames } from './names.js';

/** The skiff checkout this command runs from (cli/src/new-controller or cli/dist/new-controller). */
export const skiffRoot = fileURLToPath(new URL('../../../', import.meta.url));
const templateDir = join(skiffRoot, 'cli', 'templates', 'controller');

/** What the project links from the checkout: package name → where it lives there. */
function links(root: string): Record<string, string> {
  return {
    '@skiff/client': join(root, 'client'),
    '@skiff/api': join(root, 'api'),
    vitest: join(root, 'node_modules', 'vitest'),
    typescript: join(root, 'node_modules', 'typescript'),
    tsx: join(root, 'node_modules', 'tsx'),
    '@types/node': join(root, 'node_modules', '@types', 'node'),
  };
}

/** Writes the project into dir (which must be empty or absent); answers the files written. */
export async function scaffoldController(dir: string, names: ControllerNames): Promise<string[]> {
  const written: string[] = [];
  for (const template of await templateFiles(templateDir)) {
    const path = relative(templateDir, template).replace(/\.tmpl$/, '');
    const target = join(dir, substitute(path, names));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, substitute(await readFile(template, 'utf8'), names));
    written.push(relative(dir, target));
  }
  await linkDependencies(dir);
  return written;
}

/** (Re)creates node_modules' links to this checkout. */
export async function linkDependencies(dir: string): Promise<void> {
  for (const [name, from] of Object.entries(links(skiffRoot))) {
    const at = join(dir, 'node_modules', name);
    await mkdir(dirname(at), { recursive: true });
    await rm(at, { recursive: true, force: true });
    await symlink(await realpath(from), at, 'dir');
  }
}

function substitute(text: string, names: ControllerNames): string {
  const values: Record<string, string> = {
    greetings: names.plural,
    greeting: names.singular,
    Greeting: names.kind,
    'course.example.com': names.group,
    v1alpha1: names.version,
    __SKIFF_ROOT__: skiffRoot,
    __KUBECONFIG__: join(defaultUpStateDir(), 'kubeconfig'),
  };
  return text.replace(
    /greetings|greeting|Greeting|course\.example\.com|v1alpha1|__SKIFF_ROOT__|__KUBECONFIG__/g,
    (m) => values[m] ?? m,
  );
}

async function templateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? templateFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat().sort();
}
