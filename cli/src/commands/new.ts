// `skiff new controller DIR --kind K --group G [--version V]`: a controller project of one's own,
// as kubebuilder gives Go developers — CRD, reconciler, a test on the fake client, and the three
// commands to run, test and type-check it (see the project's README).
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../kubectl/errors.js';
import { controllerNames } from '../new-controller/names.js';
import { linkDependencies, scaffoldController } from '../new-controller/scaffold.js';
import { localVerbCommand } from '../kubectl/run-verb.js';

const usage = `Create a new project.

Usage:
  skiff new controller DIR --kind KIND --group GROUP [--version VERSION]
  skiff new controller DIR --relink     re-link an existing project to this skiff checkout

Example:
  skiff new controller greeting-controller --kind Greeting --group course.example.com

Options:
      --kind      the custom resource's kind, UpperCamelCase (e.g. Greeting)
      --group     its API group, a DNS subdomain (e.g. course.example.com)
      --version   its version (default v1alpha1)
      --relink    only re-create node_modules' links to this checkout
`;

const verb = {
  name: 'new',
  usage,
  options: {
    kind: { type: 'string' },
    group: { type: 'string' },
    version: { type: 'string' },
    relink: { type: 'boolean' },
  },
} as const;

export const newCommand = localVerbCommand(verb, async ({ flags, args, out }) => {
  const [what, dirArg] = args;
  if (what !== 'controller') {
    throw new UsageError(
      `error: skiff new makes a "controller", not ${JSON.stringify(what ?? '')}\n\n${usage}`,
    );
  }
  if (!dirArg) throw new UsageError(`error: skiff new controller needs a DIR\n\n${usage}`);
  const dir = resolve(dirArg);
  if (flags.relink) {
    await linkDependencies(dir);
    out.write(`re-linked ${dir}/node_modules\n`);
    return 0;
  }
  const { kind, group, version = 'v1alpha1' } = flags;
  if (!kind || !group) throw new UsageError(`error: --kind and --group are required\n\n${usage}`);
  const names = controllerNames(kind, group, version);
  if ((await readdir(dir).catch(() => [])).length > 0) {
    throw new UsageError(`error: ${dir} exists and is not empty`);
  }
  const files = await scaffoldController(dir, names);
  out.write(
    `created ${dirArg}/ for ${names.kind} (${names.plural}.${names.group}/${names.version}):\n` +
      files.map((f) => `  ${f}\n`).join('') +
      `\nnext:\n  cd ${dirArg}\n  npm test            # unit tests on the fake client\n  npm run typecheck   # strict TypeScript\n  skiff apply -f crd.yaml && npm start   # run it against your cluster\n`,
  );
  return 0;
});
