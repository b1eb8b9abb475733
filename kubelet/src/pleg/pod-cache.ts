// The pod cache (Kubernetes' kubecontainer.Cache): each pod's runtime state as last read, so a
// pod sync plans from memory instead of asking the runtime for the whole pod again. Two things
// keep it true:
//   - a pod worker reads the pod afresh after every sync that changed it (its own actions), and
//   - the PLEG's relist marks a pod stale when the runtime shows something the cached state does
//     not (a container that exited on its own), so the sync that follows reads it again.
// Reads race with relists: a read that began before a relist marked the pod stale must not be
// taken as fresh when it lands after. So every read and every relist takes a ticket from one
// counter, and an entry counts only if its read began after the pod was last marked stale —
// upstream's GetNewerThan, on a sequence instead of a clock (two reads in one millisecond are
// still ordered).
//
// A pod the last relist did not see at all has nothing in the runtime: only its pod worker makes
// sandboxes and containers for it, and that worker reads the pod after making them (or marks it
// stale if its sync failed half-way). So a new pod's first sync needs no read of the runtime.
import type { PodRef, RuntimePodStatus } from '../container/index.js';
import type { PlegContainerState } from './events.js';

interface Entry {
  readonly status: RuntimePodStatus;
  readonly ticket: number;
}

export class PodCache {
  private readonly entries = new Map<string, Entry>();
  /** Per pod, the ticket of the relist that last marked it stale. */
  private readonly staleBefore = new Map<string, number>();
  private tickets = 0;
  /** The last relist: its ticket and every pod it saw anything of. */
  private relisted: { readonly ticket: number; readonly uids: ReadonlySet<string> } | undefined;

  /** Taken when a read of the runtime (a pod's state, or a relist) begins. */
  ticket(): number {
    return ++this.tickets;
  }

  /**
   * The pod's state, if read after anything marked it stale; a pod the last relist did not see
   * (and nothing marked stale since) has none. Undefined: read the runtime.
   */
  get(ref: PodRef): RuntimePodStatus | undefined {
    const entry = this.entries.get(ref.uid);
    const staleBefore = this.staleBefore.get(ref.uid) ?? 0;
    if (entry !== undefined) return entry.ticket > staleBefore ? entry.status : undefined;
    const relisted = this.relisted;
    if (relisted === undefined || relisted.ticket <= staleBefore || relisted.uids.has(ref.uid)) {
      return undefined;
    }
    return { ...ref, sandboxes: [], containers: [] };
  }

  /** A relist that began at `ticket` saw these pods, and no others, in the runtime. */
  noteRelist(uids: ReadonlySet<string>, ticket: number): void {
    if (this.relisted === undefined || ticket > this.relisted.ticket) {
      this.relisted = { ticket, uids };
    }
  }

  /** Keeps a read that began at `ticket`, unless a newer one is already kept. */
  set(uid: string, status: RuntimePodStatus, ticket: number): void {
    const entry = this.entries.get(uid);
    if (entry !== undefined && entry.ticket > ticket) return;
    this.entries.set(uid, { status, ticket });
  }

  /**
   * The runtime changed behind the cache (a relist that began at `ticket` saw it), or a sync
   * failed half-way (it may have made what it did not get to read back).
   */
  markStale(uid: string, ticket: number): void {
    this.staleBefore.set(uid, Math.max(ticket, this.staleBefore.get(uid) ?? 0));
  }

  /** The pod is gone from the runtime and the kubelet. */
  delete(uid: string): void {
    this.entries.delete(uid);
    this.staleBefore.delete(uid);
  }

  /** Whether a usable entry says exactly what a relist saw of the pod (no news in the relist). */
  agreesWith(uid: string, seen: ReadonlyMap<string, PlegContainerState>): boolean {
    const entry = this.entries.get(uid);
    if (entry === undefined || entry.ticket <= (this.staleBefore.get(uid) ?? 0)) return false;
    const cached = relistStatesOf(entry.status);
    if (cached.size !== seen.size) return false;
    for (const [id, state] of seen) if (cached.get(id) !== state) return false;
    return true;
  }
}

/** A pod's state as a relist records it: sandboxes and containers by ID, PLEG's states. */
export function relistStatesOf(status: RuntimePodStatus): Map<string, PlegContainerState> {
  const states = new Map<string, PlegContainerState>();
  for (const s of status.sandboxes) states.set(s.id, s.state === 'ready' ? 'running' : 'exited');
  for (const c of status.containers) {
    states.set(
      c.id,
      c.state === 'running' ? 'running' : c.state === 'exited' ? 'exited' : 'unknown',
    );
  }
  return states;
}
