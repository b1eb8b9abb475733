// The errors of server-side apply, as data the HTTP layer turns into metav1.Status: a 409 with
// Kubernetes' conflict message and one FieldManagerConflict cause per field, or a 400/422 for a
// configuration that cannot be applied.
export interface ApplyConflict {
  /** The conflicting manager as Kubernetes prints it: `"kubectl-client-side-apply" using apps/v1`. */
  readonly manager: string;
  /** `.spec.replicas` */
  readonly field: string;
}

export class ApplyError extends Error {
  private constructor(
    message: string,
    readonly code: 400 | 409,
    readonly conflicts: readonly ApplyConflict[],
  ) {
    super(message);
  }

  static invalid(message: string): ApplyError {
    return new ApplyError(message, 400, []);
  }

  static conflicts(conflicts: readonly ApplyConflict[]): ApplyError {
    return new ApplyError(conflictMessage(conflicts), 409, conflicts);
  }
}

// apimachinery's getConflictMessage: one conflict on one line, several grouped by manager.
function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only !== undefined) {
    return `Apply failed with 1 conflict: conflict with ${only.manager}: ${only.field}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts)
    byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${manager}`);
    for (const field of byManager.get(manager) ?? []) lines.push(`- ${field}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
