import { describe, expect, it } from 'vitest';
import type { ApiObject } from '../registry/api-object.js';
import { cellOf, printerColumns } from './printer-columns.js';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const ago = (ms: number): string => new Date(now - ms).toISOString();
const minute = 60_000;

describe('printer column cells', () => {
  it.each([
    ['integer', [3], 3],
    ['integer', [2.7], 2],
    ['integer', ['3'], null],
    ['number', [2.5], 2.5],
    ['boolean', [true], true],
    ['boolean', ['true'], null],
    ['string', ['red'], 'red'],
    ['string', [7], '7'],
    ['string', ['a', 'b'], 'a b'],
    ['string', [{ a: 1 }], '{"a":1}'],
    ['date', [ago(5 * minute)], '5m'],
    ['date', [ago(3 * minute + 12_000)], '3m12s'],
    ['date', ['not a time'], '<invalid>'],
    ['string', [], null],
    ['integer', [null], null],
  ])('a %s column shows %j as %j', (type, results, cell) => {
    expect(cellOf(type, results, now)).toEqual(cell);
  });
});

const object = (spec: unknown): ApiObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w1', creationTimestamp: ago(2 * minute) },
  spec,
});

describe('printer columns of a version', () => {
  it('shows Name and Age when the version defines no columns', () => {
    const columns = printerColumns(undefined);
    expect(columns.map((c) => [c.definition.name, c.definition.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(columns.map((c) => c.cell(object({}), now))).toEqual(['w1', '2m']);
  });

  it('puts Name first, then the defined columns in order with their priority', () => {
    const columns = printerColumns([
      { name: 'Size', type: 'integer', jsonPath: '.spec.size', description: 'How big' },
      { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
    ]);
    expect(columns.map((c) => c.definition)).toEqual([
      expect.objectContaining({ name: 'Name', format: 'name', priority: 0 }),
      { name: 'Size', type: 'integer', format: '', description: 'How big', priority: 0 },
      {
        name: 'Color',
        type: 'string',
        format: '',
        description: 'Custom resource definition column (in JSONPath format): .spec.color',
        priority: 1,
      },
    ]);
    expect(columns.map((c) => c.cell(object({ size: 4 }), now))).toEqual(['w1', 4, null]);
  });
});
