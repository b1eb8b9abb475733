// The kubectl-like verbs of `skiff`, by name, loaded only when run (see ./index.ts).
import type { CommandEntry } from './index.js';

export const kubectlVerbs: Readonly<Record<string, CommandEntry>> = {
  'api-resources': {
    summary: 'the resources the server serves (from discovery), as kubectl api-resources',
    load: async () => (await import('./api-resources.js')).apiResourcesCommand,
  },
  apply: {
    summary: 'apply manifests server-side (-f files, directories, -R, stdin)',
    load: async () => (await import('./apply.js')).applyCommand,
  },
  config: {
    summary: 'kubeconfig: view, get-contexts, current-context, use-context',
    load: async () => (await import('./config.js')).configCommand,
  },
  create: {
    summary: 'create objects from manifests, or a namespace or configmap',
    load: async () => (await import('./create.js')).createCommand,
  },
  delete: {
    summary: 'delete objects by name, -f, -l or --all (graceful, --cascade, --wait)',
    load: async () => (await import('./delete.js')).deleteCommand,
  },
  describe: {
    summary: 'show details of objects and their events, as kubectl describe',
    load: async () => (await import('./describe.js')).describeCommand,
  },
  edit: {
    summary: 'edit objects in $KUBE_EDITOR or $EDITOR and patch what changed, as kubectl edit',
    load: async () => (await import('./edit.js')).editCommand,
  },
  events: {
    summary: 'list events (--for TYPE/NAME, --types Warning, -w), as kubectl events',
    load: async () => (await import('./events.js')).eventsCommand,
  },
  explain: {
    summary:
      "a kind's fields from the OpenAPI schema; 'explain pod NAME': the scheduler's decision",
    load: async () => (await import('./explain.js')).explainCommand,
  },
  get: {
    summary: 'display resources as kubectl get does (tables, -o json|yaml|name|jsonpath, -w)',
    load: async () => (await import('./get.js')).getCommand,
  },
  annotate: {
    summary: 'update the annotations of objects (key=value, key-, --overwrite)',
    load: async () => (await import('./metadata-verbs.js')).annotateCommand,
  },
  label: {
    summary: 'update the labels of objects (key=value, key-, --overwrite)',
    load: async () => (await import('./metadata-verbs.js')).labelCommand,
  },
  logs: {
    summary: 'print the log of a container (-f, -c, --previous, --tail, --since, -l)',
    load: async () => (await import('./logs.js')).logsCommand,
  },
  new: {
    summary: 'new controller DIR --kind K --group G: a controller project of your own',
    load: async () => (await import('./new.js')).newCommand,
  },
  patch: {
    summary: 'patch an object (strategic, merge or JSON patch)',
    load: async () => (await import('./patch.js')).patchCommand,
  },
  rollout: {
    summary: 'rollout status|history|undo|restart|pause|resume of deployments',
    load: async () => (await import('./rollout.js')).rolloutCommand,
  },
  scale: {
    summary: 'set the replicas of a deployment or replicaset',
    load: async () => (await import('./scale.js')).scaleCommand,
  },
  top: {
    summary: 'CPU and memory usage of nodes or pods, from the kubelets, as kubectl top',
    load: async () => (await import('./top.js')).topCommand,
  },
  wait: {
    summary: 'wait for a condition (--for=condition=Ready|delete|jsonpath=…) on objects',
    load: async () => (await import('./wait.js')).waitCommand,
  },
};
