// CRI list filters: every field that is set must match (AND); a label selector matches by
// equality on every key it names.

export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  selector: Readonly<Record<string, string>> | null | undefined,
): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}
