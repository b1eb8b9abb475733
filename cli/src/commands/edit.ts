// `skiff edit`: kubectl edit. The objects are written as YAML under kubectl's header to a temp
// file and the editor ($KUBE_EDITOR, $EDITOR, vi) opened on it; what the user saves is sent back
// as a patch per object that changed. A save the server rejects as Invalid reopens the file with
// the reasons on top; saving it unchanged again gives up, keeping the file.
//
// The patch is kubectl's: for a built-in kind a two-way strategic merge patch of the object as
// fetched against the object as saved (a changed container is sent as its name and what changed
// in it, not as the whole containers list), read from the apiserver's own patch metadata; for a
// custom resource, whose schema carries no merge keys, a JSON merge patch.
import { rm } from 'node:fs/promises';
import { patchMetaForKind, type JsonObject } from '@skiff/apiserver/patch';
import {
  ApiError,
  isInvalid,
  isNotFound,
  type PatchType,
  type ResourceMapping,
  type Unstructured,
} from '@skiff/client';
import { createMergePatch, deepEqual } from '../kubectl/edit/merge-patch.js';
import { createTwoWayStrategicMergePatch } from '../kubectl/edit/strategic-merge-patch.js';
import {
  hasContent,
  header,
  manualStrip,
  parseDocuments,
  sameContent,
  type EditReason,
} from '../kubectl/edit/edit-file.js';
import { launchTempFile } from '../kubectl/edit/editor.js';
import { UsageError } from '../kubectl/errors.js';
import { kindPrefix, resolveResourceArgs } from '../kubectl/resource-args.js';
import { yamlText } from '../kubectl/printers/yaml-text.js';
import { verbCommand, type VerbContext } from '../kubectl/run-verb.js';

const usage = `Edit a resource on the server with your editor (kubectl edit).

Usage:
  skiff edit (TYPE NAME | TYPE/NAME) ... [flags]

The editor is $KUBE_EDITOR, else $EDITOR, else vi. Save to apply the changes; save an empty
file or leave it unchanged to cancel. If the server rejects the change, the file reopens with
the reasons at the top.

Examples:
  skiff edit deployment/web
  KUBE_EDITOR=nano skiff edit svc web

Options:
  -n, --namespace        the namespace (default: the context's)
      --kubeconfig, --context, --server, --token: which cluster, as kubectl
`;

const verb = { name: 'edit', usage, options: {} } as const;
type Ctx = VerbContext<typeof verb.options>;

interface Edited {
  readonly mapping: ResourceMapping;
  readonly original: Unstructured;
}

export const editCommand = verbCommand(verb, async (ctx) => {
  const requests = resolveResourceArgs(ctx.args, await ctx.conn.mapper(), 'edit');
  const targets: Edited[] = [];
  for (const { mapping, names } of requests) {
    if (names.length === 0)
      throw new UsageError('error: resource(s) were provided, but no name was specified');
    const client = ctx.conn.resource(mapping, mapping.namespaced ? ctx.conn.namespace : undefined);
    for (const name of names) targets.push({ mapping, original: await client.get(name) });
  }
  return editLoop(ctx, targets);
});

async function editLoop(ctx: Ctx, targets: readonly Edited[]): Promise<number> {
  const shown = targets.map((t) => withoutManagedFields(t.original));
  const body = yamlText(
    shown.length === 1 ? shown[0] : { apiVersion: 'v1', items: shown, kind: 'List', metadata: {} },
  );
  const original = header([]) + body;
  let buffer = original;
  let previous: string | undefined;
  let file: string | undefined;
  for (;;) {
    const launched = await launchTempFile('skiff-edit-', buffer);
    const edited = launched.edited;
    if (previous !== undefined && sameContent(previous, edited)) {
      ctx.err.write(`A copy of your changes has been stored to ${JSON.stringify(launched.file)}\n`);
      throw new UsageError('error: Edit cancelled, no valid changes were saved.');
    }
    if (file) await rm(file, { force: true });
    file = launched.file;
    if (!hasContent(edited)) {
      // kubectl validates the file before anything else: an empty one is an invalid object.
      const [first] = targets;
      const label = first ? resourceName(first) : '';
      ctx.err.write(`error: ${label} is invalid\n`);
      previous = edited;
      buffer =
        header([
          {
            head: `${label} was not valid`,
            other: [
              '<nil>: Invalid value: "The edited file failed validation": invalid object to validate',
            ],
          },
        ]) + manualStrip(edited);
      continue;
    }
    if (sameContent(original, edited)) {
      await rm(file, { force: true });
      ctx.err.write('Edit cancelled, no changes made.\n');
      return 0;
    }
    const reasons: EditReason[] = [];
    const objects = parseEdited(edited, reasons);
    if (objects && !(await patchEach(ctx, targets, objects, reasons, file))) return 1;
    if (reasons.length === 0) {
      await rm(file, { force: true });
      return 0;
    }
    previous = edited;
    buffer = header(reasons) + manualStrip(edited);
  }
}

/** The saved objects (a List's items one by one), or undefined with the syntax error noted. */
function parseEdited(text: string, reasons: EditReason[]): Unstructured[] | undefined {
  try {
    const docs = parseDocuments(text).flatMap((d) => (d ? [d as Unstructured] : []));
    return docs.flatMap((o) =>
      o.kind === 'List' && Array.isArray(o.items) ? (o.items as Unstructured[]) : [o],
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    reasons.push({ head: `The edited file had a syntax error: ${message}`, other: [] });
    return undefined;
  }
}

async function patchEach(
  ctx: Ctx,
  targets: readonly Edited[],
  objects: readonly Unstructured[],
  reasons: EditReason[],
  file: string,
): Promise<boolean> {
  for (const edited of objects) {
    const target = targets.find((t) => t.original.metadata?.uid === edited.metadata?.uid);
    if (!target) throw new Error(`no original object found for ${edited.metadata?.name ?? ''}`);
    const { mapping, original } = target;
    const name = original.metadata?.name ?? '';
    const label = `${kindPrefix(mapping)}/${name}`;
    const before = withoutManagedFields(original);
    if (deepEqual(before, edited)) {
      ctx.out.write(`${label} skipped\n`);
      continue;
    }
    if (
      edited.apiVersion !== before.apiVersion ||
      edited.kind !== before.kind ||
      edited.metadata?.name !== name
    ) {
      ctx.err.write(`A copy of your changes has been stored to ${JSON.stringify(file)}\n`);
      throw new UsageError('error: At least one of apiVersion, kind and name was changed');
    }
    const namespace = edited.metadata?.namespace;
    if (mapping.namespaced && namespace && namespace !== ctx.conn.namespace) {
      ctx.err.write(`A copy of your changes has been stored to ${JSON.stringify(file)}\n`);
      throw new UsageError(
        `error: the namespace from the provided object "${namespace}" does not match the namespace "${ctx.conn.namespace}". You must pass '--namespace=${namespace}' to perform this operation.`,
      );
    }
    const { patch, type } = patchFor(before, edited);
    const client = ctx.conn.resource(mapping, mapping.namespaced ? ctx.conn.namespace : undefined);
    const resource = resourceName(target);
    try {
      await client.patch(name, patch, { type });
      ctx.out.write(`${label} edited\n`);
    } catch (err) {
      if (isInvalid(err)) {
        const causes = err instanceof ApiError ? (err.status.details?.causes ?? []) : [];
        reasons.push({
          head: `${resource} was not valid`,
          other: causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`),
        });
        ctx.err.write(`error: ${resource} is invalid\n`);
      } else if (isNotFound(err)) {
        ctx.err.write(`error: ${resource} could not be found on the server\n`);
        ctx.err.write(
          `The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`,
        );
        return false;
      } else {
        const message = err instanceof Error ? err.message : String(err);
        ctx.err.write(`error: ${resource} could not be patched: ${message}\n`);
        ctx.err.write(`You can run \`skiff replace -f ${file}\` to try this update again.\n`);
        return false;
      }
    }
  }
  return true;
}

/** kubectl's choice: a strategic merge patch where the kind's patch metadata is known. */
function patchFor(
  before: Unstructured,
  edited: Unstructured,
): { readonly patch: Record<string, unknown>; readonly type: PatchType } {
  const meta = patchMetaForKind(before.apiVersion ?? '', before.kind ?? '');
  if (meta === undefined) return { patch: createMergePatch(before, edited), type: 'merge' };
  const json = (o: Unstructured): JsonObject => JSON.parse(JSON.stringify(o)) as JsonObject;
  return {
    patch: createTwoWayStrategicMergePatch(json(before), json(edited), meta),
    type: 'strategic',
  };
}

/** `deployments.apps "web"`: how kubectl's edit names an object in its errors. */
function resourceName({ mapping, original }: Edited): string {
  const resource = mapping.group ? `${mapping.resource}.${mapping.group}` : mapping.resource;
  return `${resource} ${JSON.stringify(original.metadata?.name ?? '')}`;
}

function withoutManagedFields(obj: Unstructured): Unstructured {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _hidden, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
