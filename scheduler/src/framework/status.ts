import { errorMessage } from '@skiff/api';
// The verdict of one plugin at one extension point, as Kubernetes' framework.Status: a code, the
// human-readable reasons (what `kubectl describe pod` ends up showing), and which plugin said it.
// Success is the absence of a Status (`undefined`), as Go's nil *Status is, so the common path
// allocates nothing.

/**
 * What a plugin's answer means, and what the scheduling queue does with the pod next.
 *
 * - `Success`: go on with the next plugin / stage. (Plugins return `undefined` for it.)
 * - `Error`: something broke inside the scheduler (a plugin bug, a failed API call). The pod
 *   goes to the backoff queue and is retried after its backoff, whatever the cluster does.
 * - `Unschedulable`: this node does not fit now, but it might after a change the pod cannot
 *   make itself happen (a pod deleted frees resources; preemption could help). If every node
 *   says so, the pod is parked among the unschedulable pods until a cluster event that one of
 *   the rejecting plugins registered for (or the periodic flush) moves it.
 * - `UnschedulableAndUnresolvable`: the node can never fit this pod as the node is (a taint the
 *   pod does not tolerate, a label affinity excludes); preemption is not helpful. Queue
 *   handling is the same as Unschedulable: parked until a relevant event.
 * - `Wait`: a Permit plugin holds the pod (the gang-scheduling seam; skiff's Permit only allows,
 *   so nothing returns it yet).
 * - `Skip`: from PreFilter or PreScore, "this plugin has nothing to do for this pod": its Filter
 *   or Score is not called in this cycle. From Bind: "not mine, ask the next binder".
 */
export type Code =
  'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip';

export class Status {
  /** The plugin that answered; set by the framework runner when the plugin left it empty. */
  plugin: string;

  constructor(
    readonly code: Exclude<Code, 'Success'>,
    readonly reasons: readonly string[],
    plugin = '',
    /** For `Error`: what went wrong, kept for logs. */
    readonly cause?: unknown,
  ) {
    this.plugin = plugin;
  }

  message(): string {
    return this.reasons.join(', ');
  }

  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  withPlugin(plugin: string): this {
    if (this.plugin === '') this.plugin = plugin;
    return this;
  }
}

export function unschedulable(...reasons: string[]): Status {
  return new Status('Unschedulable', reasons);
}

export function unresolvable(...reasons: string[]): Status {
  return new Status('UnschedulableAndUnresolvable', reasons);
}

export function skip(): Status {
  return new Status('Skip', []);
}

export function asErrorStatus(err: unknown): Status {
  return new Status('Error', [errorMessage(err)], '', err);
}

/** The code of an optional Status: `undefined` is Success. */
export function codeOf(status: Status | undefined): Code {
  return status?.code ?? 'Success';
}
