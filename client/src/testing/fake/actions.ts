// What the fake client records for every call (client-go's testing.Action), so a controller test
// asserts on what the controller asked for — `expect(fake.actions()).toEqual([...])` — and the
// reactors a test prepends to make a verb fail or answer differently.

export type ActionVerb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'delete-collection';

export interface Action {
  readonly verb: ActionVerb;
  /** The plural resource, e.g. `pods`; its API group is in `group` (`""` for core). */
  readonly resource: string;
  readonly group: string;
  /** Undefined for cluster-scoped resources and for lists and watches across namespaces. */
  readonly namespace: string | undefined;
  /** The object's name; undefined for list, watch, delete-collection and unnamed creates. */
  readonly name: string | undefined;
  readonly subresource: string | undefined;
  /** The body the caller sent (create, update, a subresource write), as it sent it. */
  readonly object: unknown;
  /** For patch: the patch document and its type. */
  readonly patch?: unknown;
  readonly patchType?: 'json' | 'merge' | 'strategic';
  /** For list, watch and delete-collection: the selectors, as sent on the wire. */
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/**
 * What a reactor decides: answer with `object` (the verb's result) or fail with `error` (an
 * ApiError, usually), instead of the tracker.
 */
export type Reaction = { readonly object: unknown } | { readonly error: unknown };

/** Returns a Reaction to handle the action, or undefined to let the next reactor (or the tracker) have it. */
export type Reactor = (action: Action) => Reaction | undefined;

/** `'*'` matches every verb or resource. */
export interface ReactorEntry {
  readonly verb: ActionVerb | '*';
  readonly resource: string;
  readonly react: Reactor;
}

function reactorMatches(entry: ReactorEntry, action: Action): boolean {
  return (
    (entry.verb === '*' || entry.verb === action.verb) &&
    (entry.resource === '*' ||
      entry.resource === action.resource ||
      entry.resource === `${action.resource}/${action.subresource ?? ''}`)
  );
}

/** Records every action in order and runs the reactor chain before the tracker. */
export class ActionRecorder {
  private readonly recorded: Action[] = [];
  private readonly reactors: ReactorEntry[] = [];

  actions(): Action[] {
    return structuredClone(this.recorded);
  }

  clear(): void {
    this.recorded.length = 0;
  }

  prepend(entry: ReactorEntry): void {
    this.reactors.unshift(entry);
  }

  /** Records `action`, then answers with the first reactor that handles it, else with `run`. */
  invoke<R>(action: Action, run: () => R): Promise<R> {
    this.recorded.push(action);
    try {
      for (const entry of this.reactors) {
        if (!reactorMatches(entry, action)) continue;
        const reaction = entry.react(structuredClone(action));
        if (reaction === undefined) continue;
        if ('error' in reaction) return Promise.reject(asError(reaction.error));
        // A copy, as from a server; a watch a reactor hands out is live, so it is passed as is.
        const object = action.verb === 'watch' ? reaction.object : structuredClone(reaction.object);
        return Promise.resolve(object as R);
      }
      return Promise.resolve(run());
    } catch (err) {
      return Promise.reject(asError(err));
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
