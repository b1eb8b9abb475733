// How a CRD's names are granted and its conditions set, without a server.
import { builtinKinds, type CustomResourceDefinition } from '@skiff/api';
import { describe, expect, it } from 'vitest';
import { desiredCrdStatus, isEstablished } from './crd-status.js';
import { makeCrd } from './testing/crd-fixtures.js';

const now = '2025-01-01T00:00:00Z';
const later = '2025-01-01T00:01:00Z';

function crd(plural = 'widgets', kind = 'Widget', group = 'example.com'): CustomResourceDefinition {
  return makeCrd(plural, kind, group).build();
}

/** A CRD as the controller leaves it: status written. */
function settled(c: CustomResourceDefinition, others: CustomResourceDefinition[] = []) {
  return { ...c, status: desiredCrdStatus(c, others, builtinKinds, now) };
}

const condition = (c: CustomResourceDefinition, type: string) =>
  c.status?.conditions?.find((x) => x.type === type);

describe('desiredCrdStatus', () => {
  it('grants free names and establishes the CRD', () => {
    const status = desiredCrdStatus(crd(), [], builtinKinds, now);
    expect(status.acceptedNames).toEqual({ plural: 'widgets', singular: 'widget', kind: 'Widget' });
    expect(status.conditions).toEqual([
      {
        type: 'NamesAccepted',
        status: 'True',
        reason: 'NoConflicts',
        message: 'no conflicts found',
        lastTransitionTime: now,
      },
      {
        type: 'Established',
        status: 'True',
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
        lastTransitionTime: now,
      },
    ]);
  });

  it.each([
    ['plural', crd('widgets', 'Other'), 'PluralConflict', '"widgets" is already in use'],
    ['kind', crd('others', 'Widget'), 'KindConflict', '"Widget" is already in use'],
    [
      'short name',
      {
        ...crd('others', 'Other'),
        spec: { ...crd().spec, names: { plural: 'others', kind: 'Other', shortNames: ['widget'] } },
      },
      'ShortNamesConflict',
      '"widget" is already in use',
    ],
  ])('refuses a %s another CRD of the group holds', (_what, rival, reason, message) => {
    const holder = settled(crd());
    const named = { ...rival, metadata: { name: `${rival.spec.names.plural}.example.com-rival` } };
    const status = desiredCrdStatus(named, [holder], builtinKinds, now);
    const result = { ...named, status };
    expect(condition(result, 'NamesAccepted')).toMatchObject({ status: 'False', reason, message });
    expect(condition(result, 'Established')).toMatchObject({
      status: 'False',
      reason: 'NotAccepted',
    });
    expect(isEstablished(result)).toBe(false);
  });

  it('lets another group use the same names', () => {
    const holder = settled(crd());
    const status = desiredCrdStatus(
      crd('widgets', 'Widget', 'other.io'),
      [holder],
      builtinKinds,
      now,
    );
    expect(status.conditions?.[0]).toMatchObject({ type: 'NamesAccepted', status: 'True' });
  });

  it('refuses names of a built-in resource of the same group', () => {
    const leases = crd('leases', 'Lease', 'coordination.k8s.io');
    const status = desiredCrdStatus(leases, [], builtinKinds, now);
    expect(status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'PluralConflict' });
  });

  it('keeps transition times while nothing changes, and keeps Established once True', () => {
    const first = settled(crd());
    const again = desiredCrdStatus(first, [], builtinKinds, later);
    expect(again).toEqual(first.status);
    // A later conflict (names changed to taken ones) does not un-establish the CRD.
    const holder = settled(crd('gizmos', 'Gizmo'));
    const renamed = {
      ...first,
      spec: { ...first.spec, names: { ...first.spec.names, kind: 'Gizmo' } },
    };
    const status = desiredCrdStatus(renamed, [holder], builtinKinds, later);
    expect(status.acceptedNames?.kind).toBe('Widget');
    expect(status.conditions).toEqual([
      expect.objectContaining({
        type: 'NamesAccepted',
        status: 'False',
        lastTransitionTime: later,
      }),
      expect.objectContaining({ type: 'Established', status: 'True', lastTransitionTime: now }),
    ]);
  });
});
