import { fileURLToPath } from 'node:url';

// The .proto ships in the package root (runtime/v1/api.proto), not under src/, so it needs no
// copy step: src/ (tests, tsx) and dist/ (built code) both sit one level below it.
export const criProtoPath: string = fileURLToPath(
  new URL('../runtime/v1/api.proto', import.meta.url),
);
