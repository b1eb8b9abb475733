// kubectl's JSONPath templates over one object, table-driven: what each form prints.
import { describe, expect, it } from 'vitest';
import { JsonPath, JsonPathError, relaxedJsonPath } from './jsonpath.js';

const list = {
  kind: 'List',
  items: [
    {
      metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'web' } },
      status: { phase: 'Running', restarts: 2 },
    },
    { metadata: { name: 'b', labels: {} }, status: { phase: 'Pending', restarts: 0 } },
    { metadata: { name: 'c' }, status: { phase: 'Running', restarts: 5 } },
  ],
};

describe('JsonPath', () => {
  it.each([
    ['{.kind}', 'List'],
    ['{.items[*].metadata.name}', 'a b c'],
    ['{.items[0].metadata.name}', 'a'],
    ['{.items[-1].metadata.name}', 'c'],
    ['{.items[0:2].metadata.name}', 'a b'],
    ['{..name}', 'a b c'],
    ['{.items[?(@.status.phase=="Running")].metadata.name}', 'a c'],
    ['{.items[?(@.status.restarts>1)].metadata.name}', 'a c'],
    ['{.items[?(@.metadata.labels)].metadata.name}', 'a b'],
    ['{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', 'web'],
    ["{.items[0].metadata.labels['app.kubernetes.io/name']}", 'web'],
    ['{.items[0].status}', '{"phase":"Running","restarts":2}'],
    [
      '{range .items[*]}{.metadata.name}={.status.phase}{"\\n"}{end}',
      'a=Running\nb=Pending\nc=Running\n',
    ],
    ['names: {.items[*].metadata.name}!', 'names: a b c!'],
    ['{.nothing.here}', ''],
  ])('%s prints %j', (template, printed) => {
    expect(new JsonPath(template).execute(list)).toBe(printed);
  });

  it.each([['{.items[0'], ['{range .items[*]}{.a}'], ['{end}']])('refuses %s', (template) => {
    expect(() => new JsonPath(template)).toThrow(JsonPathError);
  });

  it('reads the relaxed form of --sort-by and custom-columns', () => {
    expect(relaxedJsonPath('.metadata.name').values(list.items[1])).toEqual(['b']);
    expect(relaxedJsonPath('metadata.name').values(list.items[2])).toEqual(['c']);
    expect(relaxedJsonPath('{.status.restarts}').values(list.items[0])).toEqual([2]);
  });
});
