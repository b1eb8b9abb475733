import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../types/index.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointslice.js';

function slice(fields: Partial<EndpointSlice> = {}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc12', namespace: 'default' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    ...fields,
  };
}

const fields = (s: EndpointSlice) => validateEndpointSlice(s).map((e) => `${e.field} ${e.type}`);

describe('EndpointSlice validation', () => {
  it('accepts a slice of IPv4 endpoints with named ports', () => {
    expect(validateEndpointSlice(slice())).toEqual([]);
  });

  it.each([
    [
      'an unknown addressType',
      slice({ addressType: 'IPX' as 'IPv4' }),
      'addressType FieldValueNotSupported',
    ],
    [
      'an endpoint without addresses',
      slice({ endpoints: [{ addresses: [] }] }),
      'endpoints[0].addresses FieldValueRequired',
    ],
    [
      'an IPv6 address in an IPv4 slice',
      slice({ endpoints: [{ addresses: ['fd00::1'] }] }),
      'endpoints[0].addresses[0] FieldValueInvalid',
    ],
    [
      'too many addresses',
      slice({ endpoints: [{ addresses: Array.from({ length: 101 }, (_, i) => `10.0.${i}.1`) }] }),
      'endpoints[0].addresses FieldValueTooMany',
    ],
    [
      'two ports with one name',
      slice({
        ports: [
          { name: 'a', port: 1, protocol: 'TCP' },
          { name: 'a', port: 2, protocol: 'TCP' },
        ],
      }),
      'ports[1].name FieldValueDuplicate',
    ],
    [
      'a port out of range',
      slice({ ports: [{ name: '', port: 70000, protocol: 'TCP' }] }),
      'ports[0].port FieldValueInvalid',
    ],
    [
      'a bad hostname',
      slice({ endpoints: [{ addresses: ['10.0.0.1'], hostname: 'Web_1' }] }),
      'endpoints[0].hostname FieldValueInvalid',
    ],
  ])('refuses %s', (_what, bad, error) => {
    expect(fields(bad)).toContain(error);
  });

  it('refuses more than 1000 endpoints', () => {
    const endpoints = Array.from({ length: 1001 }, (_, i) => ({
      addresses: [`10.${Math.floor(i / 250)}.${i % 250}.1`],
    }));
    expect(fields(slice({ endpoints }))).toContain('endpoints FieldValueTooMany');
  });

  it('keeps the addressType immutable', () => {
    const prev = slice({ metadata: { name: 'a', namespace: 'default', resourceVersion: '1' } });
    const next = {
      ...prev,
      addressType: 'FQDN' as const,
      endpoints: [{ addresses: ['web.example.com'] }],
    };
    expect(validateEndpointSliceUpdate(next, prev).map((e) => e.field)).toContain('addressType');
  });
});
