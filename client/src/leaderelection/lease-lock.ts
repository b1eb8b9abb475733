// The lock a leader election contends for: one coordination.k8s.io/v1 Lease. It remembers the
// Lease it last read or wrote, because every write is a compare-and-swap on that object's
// resourceVersion: two candidates that both saw an expired lease cannot both take it; the
// second one's update fails with 409 and it re-reads on its next try.
import type { Lease } from '@skiff/api';
import type { Client } from '../rest/client.js';
import {
  leaseSpecFromRecord,
  recordFromLeaseSpec,
  type LeaderElectionRecord,
} from './election-record.js';

export interface LeaseLockOptions {
  readonly namespace: string;
  readonly name: string;
  /** Who this candidate is; unique per process (e.g. `${hostname}_${randomUUID()}`). */
  readonly identity: string;
}

export class LeaseLock {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  private observed: Lease | undefined;

  constructor(
    private readonly client: Pick<Client, 'leases'>,
    options: LeaseLockOptions,
  ) {
    if (!options.identity)
      throw new RangeError('a leader election lock needs a non-empty identity');
    this.namespace = options.namespace;
    this.name = options.name;
    this.identity = options.identity;
  }

  /** `namespace/name`, for log lines. */
  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** Reads the lease (rejects with a 404 ApiError when there is none). */
  async get(signal?: AbortSignal): Promise<LeaderElectionRecord> {
    const lease = await this.leases().get(this.name, { signal });
    this.observed = lease;
    return recordFromLeaseSpec(lease.spec);
  }

  /** Creates the lease (rejects with a 409 AlreadyExists if another candidate was first). */
  async create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    this.observed = await this.leases().create(
      {
        metadata: { name: this.name, namespace: this.namespace },
        spec: leaseSpecFromRecord(record),
      },
      { signal },
    );
  }

  /** Replaces the record on the lease as last seen; 409 if anyone wrote it since. */
  async update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    if (!this.observed) {
      throw new Error(`lease ${this.describe()}: update before the lease was read or created`);
    }
    this.observed = await this.leases().update(
      { ...this.observed, spec: leaseSpecFromRecord(record) },
      { signal },
    );
  }

  private leases() {
    return this.client.leases(this.namespace);
  }
}
