import { describe, expect, it } from 'vitest';
import { expand } from './expansion.js';

const vars: Record<string, string> = { VAR_A: 'A', VAR_B: 'B', EMPTY: '' };
const lookup = (name: string): string | undefined => vars[name];

describe('expand', () => {
  it.each([
    ['$(VAR_A)', 'A'],
    ['___$(VAR_A)___', '___A___'],
    ['$(VAR_A)-$(VAR_B)', 'A-B'],
    ['$(EMPTY)x', 'x'],
    ['$(UNDEFINED)', '$(UNDEFINED)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$VAR_A', '$VAR_A'],
    ['$(VAR_A', '$(VAR_A'],
    ['$()', '$()'],
    ['trailing $', 'trailing $'],
    ['no refs', 'no refs'],
  ])('%s → %s', (input, want) => {
    expect(expand(input, lookup)).toBe(want);
  });
});
