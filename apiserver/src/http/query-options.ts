// Query parameters shared by the write verbs: dryRun and fieldValidation. Unknown values are
// 400s, as in Kubernetes, so a typo never silently writes for real.
import { apiErrors } from './api-error.js';

export interface WriteParams {
  readonly dryRun: boolean;
}

export function parseWriteParams(query: URLSearchParams): WriteParams {
  const dryRun = query.getAll('dryRun');
  for (const value of dryRun) {
    if (value !== 'All') {
      throw apiErrors.badRequest(
        `Invalid dryRun value: ${JSON.stringify(value)}: only "All" is supported`,
      );
    }
  }
  const fieldValidation = query.get('fieldValidation');
  // Accepted so clients that send it (kubectl does) work; unknown fields are always ignored,
  // which is what "Ignore" means and what "Warn"/"Strict" degrade to here.
  if (fieldValidation !== null && !['Ignore', 'Warn', 'Strict', ''].includes(fieldValidation)) {
    throw apiErrors.badRequest(
      `fieldValidation: Unsupported value: ${JSON.stringify(fieldValidation)}: supported values: "Ignore", "Warn", "Strict"`,
    );
  }
  return { dryRun: dryRun.length > 0 };
}
