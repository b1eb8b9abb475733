// `--node-labels k=v,k2=v2` and `--register-with-taints key=value:Effect,key2:Effect`, parsed as
// the kubelet parses them; a bad entry is an error naming the flag.
import type { Taint } from '@skiff/api';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export function parseNodeLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of text.split(',').filter((e) => e.trim() !== '')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`--node-labels: ${JSON.stringify(entry)} is not key=value`);
    labels[entry.slice(0, eq).trim()] = entry.slice(eq + 1).trim();
  }
  return labels;
}

export function parseTaints(text: string): Taint[] {
  return text
    .split(',')
    .filter((e) => e.trim() !== '')
    .map((entry) => {
      const colon = entry.lastIndexOf(':');
      const effect = EFFECTS.find((e) => e === entry.slice(colon + 1).trim());
      if (colon <= 0 || effect === undefined) {
        throw new Error(
          `--register-with-taints: ${JSON.stringify(entry)} is not key[=value]:${EFFECTS.join('|')}`,
        );
      }
      const keyValue = entry.slice(0, colon).trim();
      const eq = keyValue.indexOf('=');
      return eq < 0
        ? { key: keyValue, effect }
        : { key: keyValue.slice(0, eq), value: keyValue.slice(eq + 1), effect };
    });
}
