// What a candidate reads from and writes to the lock: client-go's LeaderElectionRecord. Keeping
// it apart from the Lease object lets the elector reason about holders and times without caring
// how the record is stored, and gives one place that says when two records are "the same".
import type { LeaseSpec, MicroTime } from '@skiff/api';

export interface LeaderElectionRecord {
  /** Empty when nobody holds the lock (after a release). */
  readonly holderIdentity: string;
  /** How long, after a candidate last saw this record change, it must wait before taking over. */
  readonly leaseDurationSeconds: number;
  readonly acquireTime: MicroTime;
  readonly renewTime: MicroTime;
  /** How many times the lock has changed hands. */
  readonly leaseTransitions: number;
}

export function recordFromLeaseSpec(spec: LeaseSpec | undefined): LeaderElectionRecord {
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: spec?.acquireTime ?? '',
    renewTime: spec?.renewTime ?? '',
    leaseTransitions: spec?.leaseTransitions ?? 0,
  };
}

export function leaseSpecFromRecord(record: LeaderElectionRecord): LeaseSpec {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: record.acquireTime,
    renewTime: record.renewTime,
    leaseTransitions: record.leaseTransitions,
  };
}

/**
 * Any field that differs means the holder (or someone) wrote the lock since we last looked, so
 * the expiry countdown restarts. Metadata-only changes (labels, say) do not count, as in client-go.
 */
export function sameRecord(
  a: LeaderElectionRecord | undefined,
  b: LeaderElectionRecord | undefined,
): boolean {
  if (!a || !b) return a === b;
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

/**
 * metav1.MicroTime on the wire: RFC 3339 with six fractional digits. JavaScript time has
 * milliseconds, so the last three digits are always zero.
 */
export function microTime(ms: number): MicroTime {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
