// The kubectl-like verbs of `skiff`, by name, loaded only when run (see ./index.ts).
import type { CommandEntry } from './index.js';

export const kubectlVerbs: Readonly<Record<string, CommandEntry>> = {
  get: {
    summary: 'display resources as kubectl get does (tables, -o json|yaml|name|jsonpath, -w)',
    load: async () => (await import('./get.js')).getCommand,
  },
};
