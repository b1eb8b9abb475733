import { describe, expect, it } from 'vitest';
import type { Service } from '../types/index.js';
import { makeService } from '../testing/builders/index.js';
import { validateService, validateServiceUpdate } from './service.js';
import { expectFieldError } from './testing/expect-field-error.js';

describe('validateService', () => {
  it('accepts a ClusterIP service with one unnamed port', () => {
    expect(
      validateService(makeService().namespace('default').port(80, { targetPort: 8080 }).obj()),
    ).toEqual([]);
  });

  it('accepts headless and ExternalName services without ports', () => {
    expect(
      validateService(
        makeService().namespace('default').withoutPorts().spec({ clusterIP: 'None' }).obj(),
      ),
    ).toEqual([]);
    expect(
      validateService(
        makeService()
          .namespace('default')
          .withoutPorts()
          .spec({ type: 'ExternalName', externalName: 'db.example.com' })
          .obj(),
      ),
    ).toEqual([]);
  });

  it.each<[string, ReturnType<typeof makeService>, string, string, string?]>([
    [
      'no ports',
      makeService().namespace('default').withoutPorts(),
      'spec.ports',
      'FieldValueRequired',
    ],
    [
      'port 0',
      makeService().namespace('default').port(0),
      'spec.ports[0].port',
      'FieldValueInvalid',
      'must be between 1 and 65535, inclusive',
    ],
    [
      'port 65536',
      makeService().namespace('default').port(65536),
      'spec.ports[0].port',
      'FieldValueInvalid',
    ],
    [
      'unnamed ports when there are two',
      makeService().namespace('default').port(80, { name: 'http' }).port(443),
      'spec.ports[1].name',
      'FieldValueRequired',
    ],
    [
      'duplicate port names',
      makeService().namespace('default').port(80, { name: 'web' }).port(443, { name: 'web' }),
      'spec.ports[1].name',
      'FieldValueDuplicate',
    ],
    [
      'an unknown protocol',
      makeService()
        .namespace('default')
        .port(80, { protocol: 'ICMP' as 'TCP' }),
      'spec.ports[0].protocol',
      'FieldValueNotSupported',
    ],
    [
      'targetPort 0',
      makeService().namespace('default').port(80, { targetPort: 0 }),
      'spec.ports[0].targetPort',
      'FieldValueInvalid',
      'must be between 1 and 65535, inclusive',
    ],
    [
      'a targetPort name that is not an IANA service name',
      makeService().namespace('default').port(80, { targetPort: 'HTTP--x' }),
      'spec.ports[0].targetPort',
      'FieldValueInvalid',
    ],
    [
      'an unknown type',
      makeService()
        .namespace('default')
        .spec({ type: 'Internal' as 'ClusterIP' }),
      'spec.type',
      'FieldValueNotSupported',
      'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ],
    [
      'a nodePort on a ClusterIP service',
      makeService().namespace('default').spec({ type: 'ClusterIP' }).port(80, { nodePort: 30080 }),
      'spec.ports[0].nodePort',
      'FieldValueForbidden',
      "may not be used when `type` is 'ClusterIP'",
    ],
    [
      'an unknown sessionAffinity',
      makeService()
        .namespace('default')
        .spec({ sessionAffinity: 'Sticky' as 'None' }),
      'spec.sessionAffinity',
      'FieldValueNotSupported',
      'supported values: "ClientIP", "None"',
    ],
    [
      'an invalid selector value',
      makeService()
        .namespace('default')
        .spec({ selector: { app: 'not valid' } }),
      'spec.selector',
      'FieldValueInvalid',
    ],
    [
      'a malformed clusterIP',
      makeService().namespace('default').spec({ clusterIP: '10.0.0.300' }),
      'spec.clusterIP',
      'FieldValueInvalid',
    ],
    [
      'an ExternalName service without externalName',
      makeService().namespace('default').withoutPorts().spec({ type: 'ExternalName' }),
      'spec.externalName',
      'FieldValueRequired',
    ],
  ])('rejects %s', (_what, builder, field, type, detail) => {
    expectFieldError(validateService(builder.obj()), field, type as never, detail);
  });

  it('allows nodePorts on NodePort services', () => {
    expect(
      validateService(
        makeService()
          .namespace('default')
          .spec({ type: 'NodePort' })
          .port(80, { nodePort: 30080 })
          .obj(),
      ),
    ).toEqual([]);
  });

  it('requires service names to be DNS-1035 labels (starting with a letter)', () => {
    const svc = makeService().namespace('default').obj();
    svc.metadata.name = '1web';
    expectFieldError(
      validateService(svc),
      'metadata.name',
      'FieldValueInvalid',
      'a DNS-1035 label must consist of',
    );
  });
});

describe('validateServiceUpdate', () => {
  const withIP = (ip: string, type: Service['spec']['type'] = 'ClusterIP'): Service =>
    makeService().namespace('default').spec({ clusterIP: ip, type }).obj();

  it('refuses a changed clusterIP', () => {
    expectFieldError(
      validateServiceUpdate(withIP('10.0.0.2'), withIP('10.0.0.1')),
      'spec.clusterIP',
      'FieldValueInvalid',
      'field is immutable',
    );
  });

  it('allows the same clusterIP and a move to ExternalName', () => {
    expect(validateServiceUpdate(withIP('10.0.0.1'), withIP('10.0.0.1'))).toEqual([]);
    const external = makeService()
      .namespace('default')
      .withoutPorts()
      .spec({ type: 'ExternalName', externalName: 'x.example.com' })
      .obj();
    expect(validateServiceUpdate(external, withIP('10.0.0.1'))).toEqual([]);
  });
});
