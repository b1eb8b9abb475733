import { describe, expect, it } from 'vitest';
import { evaluateJsonPath } from './evaluate.js';
import { JsonPathError, parseJsonPath } from './parse.js';

const obj = {
  metadata: { name: 'w1', annotations: { 'example.com/owner': 'team-a' } },
  spec: {
    replicas: 3,
    containers: [
      { name: 'app', image: 'app:1', ports: [{ port: 80 }] },
      { name: 'sidecar', image: 'proxy:2', ports: [] },
    ],
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', priority: 2 },
      { type: 'Synced', status: 'False', priority: 5 },
    ],
    ready: true,
  },
};

const evaluate = (path: string): unknown[] => evaluateJsonPath(parseJsonPath(path), obj);

describe('printer column JSONPath', () => {
  it.each([
    ['.spec.replicas', [3]],
    ['.metadata.name', ['w1']],
    ['.spec.containers[0].image', ['app:1']],
    ['.spec.containers[-1].name', ['sidecar']],
    ['.spec.containers[*].name', ['app', 'sidecar']],
    ['.spec.containers[*].ports[*].port', [80]],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type == 'Synced')].status", ['False']],
    ['.status.conditions[?(@.type!="Ready")].type', ['Synced']],
    ['.status.conditions[?(@.priority > 3)].type', ['Synced']],
    ['.status.conditions[?(@.priority<=2)].type', ['Ready']],
    ['.status.conditions[?(@.status)].type', ['Ready', 'Synced']],
    [".metadata.annotations['example.com/owner']", ['team-a']],
    ['.metadata.annotations["example.com/owner"]', ['team-a']],
    ['.status.ready', [true]],
    ['.status.*', [obj.status.conditions, true]],
  ])('%s finds %j', (path, expected) => {
    expect(evaluate(path)).toEqual(expected);
  });

  it.each([
    '.spec.missing',
    '.spec.containers[5].name',
    '.spec.replicas.deeper',
    '.status.conditions[?(@.type=="Gone")].status',
    '.metadata.name[0]',
  ])('%s finds nothing, without an error', (path) => {
    expect(evaluate(path)).toEqual([]);
  });

  it.each([
    ['spec.replicas', /starts with "."/],
    ['.spec[', /expected an index/],
    ['.spec.containers[0', /expected "\]"/],
    ['.spec..name', /recursive descent/],
    ['.spec.containers[0:1]', /slices/],
    ['.status.conditions[?(@.type=="Ready"].status', /expected "\)"/],
    ['.status.conditions[?(@.type==Ready)]', /quoted string, a number or a boolean/],
    [".metadata.annotations['x", /unterminated/],
    ['.spec.{x}', /field name/],
  ])('refuses %s', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    expect(() => parseJsonPath(path)).toThrow(message);
  });
});
