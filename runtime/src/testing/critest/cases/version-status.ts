// Version and Status: who the runtime is, and whether it is ready for pods.
import { expect, it } from 'vitest';
import { runtimeCall } from '../cri-calls.js';
import type { CriTarget } from '../cri-target.js';

export function versionStatusCases(target: () => CriTarget): void {
  it('answers Version as a CRI v1 runtime under its own name', async () => {
    const version = await runtimeCall(target(), 'Version', { version: 'v1' });
    expect(version.runtime_name).toBe(target().name);
    expect(version.runtime_api_version).toBe('v1');
    expect(version.runtime_version).not.toBe('');
  });

  it('reports RuntimeReady and NetworkReady in Status, and debug info when verbose', async () => {
    const { status, info } = await runtimeCall(target(), 'Status', { verbose: true });
    const conditions = new Map((status?.conditions ?? []).map((c) => [c.type, c]));
    expect(conditions.get('RuntimeReady')?.status).toBe(true);
    expect(conditions.get('NetworkReady')?.status).toBe(true);
    expect(Object.keys(info).length).toBeGreaterThan(0);
  });
}
