// What Version reports: skiff's name, and this package's version read from its package.json
// (found the same way from src/ under tsx and from dist/ when built).
import { readFileSync } from 'node:fs';

export const RUNTIME_NAME = 'skiff';

let cached: string | undefined;

export function runtimeVersion(): string {
  if (cached === undefined) {
    const file = new URL('../../package.json', import.meta.url);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
    cached = typeof parsed.version === 'string' ? parsed.version : '0.0.0';
  }
  return cached;
}
