// What `crictl inspect` shows beside a status: CRI's verbose info. containerd answers with one
// key, "info", holding a JSON document (pid, sandbox, the OCI spec, …); tools read it that way.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type VerboseDetails = Record<string, unknown>;

export function verboseInfo(details: VerboseDetails): Record<string, string> {
  return { info: JSON.stringify(details) };
}

/** The OCI spec (config.json) of a bundle directory, or undefined once it is gone. */
export async function runtimeSpecOf(bundle: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as unknown;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
