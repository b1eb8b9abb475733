// `skiff wait --for=condition=Ready|delete|jsonpath='{…}'=value (TYPE NAME | TYPE/NAME | TYPE -l …)`:
// follows each object until the condition holds, printing `<kind>/<name> condition met`, or
// gives up at --timeout (30s, kubectl's default) with kubectl's error and exit 1.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDuration } from '@skiff/api';
import { isNotFound, type Unstructured } from '@skiff/client';
import { UsageError } from '../kubectl/errors.js';
import { JsonPath } from '../kubectl/printers/jsonpath.js';
import { kindPrefix } from '../kubectl/resource-args.js';
import { verbCommand } from '../kubectl/run-verb.js';
import { objectTargets, type ObjectTarget } from '../kubectl/targets.js';

const usage = `Wait for a specific condition on one or many resources.

Usage:
  skiff wait ([-f FILENAME] | (TYPE NAME | TYPE/NAME | TYPE -l selector | TYPE --all)) --for=CONDITION [--timeout=30s]

Conditions:
  --for=condition=Ready[=true]    a status condition (any type) with the given status
  --for=delete                    the object is gone
  --for=jsonpath='{.status.phase}'=Running   a field has a value (or, without =value, exists)
`;

const verb = {
  name: 'wait',
  usage,
  options: {
    for: { type: 'string' },
    timeout: { type: 'string' },
    selector: { type: 'string', short: 'l' },
    all: { type: 'boolean' },
  },
} as const;

type Check = (obj: Unstructured | undefined) => boolean;

export const waitCommand = verbCommand(verb, async ({ flags, args, conn, out }) => {
  const check = parseFor(flags.for);
  const timeoutMs = parseDuration(flags.timeout ?? '30s');
  const deadline = Date.now() + timeoutMs;
  const targets = await objectTargets(conn, args, 'wait', flags);
  if (targets.length === 0) throw new UsageError('error: no matching resources found');
  const forDelete = flags.for === 'delete';
  for (const target of targets) {
    // kubectl: a missing object is an error unless waiting for its deletion, when it is
    // already done (and nothing is printed for it).
    const first = await target.client.get(target.name).catch((err: unknown) => {
      if (forDelete && isNotFound(err)) return undefined;
      throw err;
    });
    if (first === undefined) continue;
    await waitFor(target, check, deadline);
    out.write(`${kindPrefix(target.mapping)}/${target.name} condition met\n`);
  }
  return 0;
});

async function waitFor(target: ObjectTarget, check: Check, deadline: number): Promise<void> {
  for (;;) {
    let obj: Unstructured | undefined;
    try {
      obj = await target.client.get(target.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (check(obj)) return;
    if (Date.now() >= deadline) {
      throw new UsageError(
        `error: timed out waiting for the condition on ${target.mapping.resource}${target.mapping.group ? `.${target.mapping.group}` : ''}/${target.name}`,
      );
    }
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
}

function parseFor(spec: string | undefined): Check {
  if (!spec) throw new UsageError('error: --for must be specified');
  if (spec === 'delete') return (obj) => obj === undefined;
  if (spec.startsWith('condition=')) {
    const [type = '', status = 'true'] = spec.slice('condition='.length).split('=');
    return (obj) => {
      const conditions =
        (obj?.status as { conditions?: { type: string; status: string }[] } | undefined)
          ?.conditions ?? [];
      return conditions.some(
        (c) =>
          c.type.toLowerCase() === type.toLowerCase() &&
          c.status.toLowerCase() === status.toLowerCase(),
      );
    };
  }
  if (spec.startsWith('jsonpath=')) {
    const rest = spec.slice('jsonpath='.length);
    const close = rest.lastIndexOf('}');
    const path = new JsonPath(rest.slice(0, close + 1));
    const wanted = rest.slice(close + 1).startsWith('=') ? rest.slice(close + 2) : undefined;
    return (obj) => {
      if (!obj) return false;
      const values = path.values(obj);
      if (wanted === undefined) return values.length > 0;
      return values.some((v) => (typeof v === 'string' ? v : JSON.stringify(v)) === wanted);
    };
  }
  throw new UsageError(`error: unrecognized condition: "${spec}"`);
}
