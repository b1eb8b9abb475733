// Until @skiff/api's errors module lands (CONTRACTS.md), the one place that turns an unknown
// thrown value into its message; switch this re-export when `errorMessage` exists there.
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
