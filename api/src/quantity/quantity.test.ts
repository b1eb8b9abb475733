import { describe, expect, it } from 'vitest';
import { QuantityParseError } from './parse.js';
import { Quantity, parseQuantity } from './quantity.js';

const q = (s: string): Quantity => Quantity.parse(s);

describe('Quantity.parse', () => {
  // [input, exact value as unscaled × 10^exponent via another quantity, format]
  it.each<[string, string, string]>([
    ['0', '0', 'DecimalSI'],
    ['0n', '0', 'DecimalSI'],
    ['0Ki', '0', 'BinarySI'],
    ['0Mi', '0', 'BinarySI'],
    ['1', '1', 'DecimalSI'],
    ['1Ki', '1024', 'BinarySI'],
    ['7Mi', '7340032', 'BinarySI'],
    ['3Ei', '3458764513820540928', 'BinarySI'],
    ['5n', '0.000000005', 'DecimalSI'],
    ['4u', '0.000004', 'DecimalSI'],
    ['3m', '0.003', 'DecimalSI'],
    ['8k', '8000', 'DecimalSI'],
    ['50k', '50000', 'DecimalSI'],
    ['1E', '1000000000000000000', 'DecimalSI'],
    ['1E-3', '0.001', 'DecimalExponent'],
    ['1e3', '1000', 'DecimalExponent'],
    ['1e-3', '0.001', 'DecimalExponent'],
    ['1.3E+6', '1300000', 'DecimalExponent'],
    ['100.035k', '100035', 'DecimalSI'],
    ['0.0005k', '0.5', 'DecimalSI'],
    ['0.5e-1', '0.05', 'DecimalExponent'],
    ['7.123456M', '7123456', 'DecimalSI'],
    ['1.01E', '1010000000000000000', 'DecimalSI'],
    // Rounded up to the nearest nano, never down to zero.
    ['3.001n', '0.000000004', 'DecimalSI'],
    ['1.1E-9', '0.000000002', 'DecimalExponent'],
    ['0.0000000001', '0.000000001', 'DecimalSI'],
    ['0.00000012345', '0.000000124', 'DecimalSI'],
    ['-0.00000012345', '-0.000000124', 'DecimalSI'],
    // BinarySI is capped at the int64 maximum.
    ['9Ei', '9223372036854775807', 'BinarySI'],
    ['100.035Ki', '102435.84', 'BinarySI'],
    ['0.5Mi', '524288', 'BinarySI'],
    // A binary amount below one is shown in the decimal family.
    ['0.000000000001Ki', '0.000000002', 'DecimalSI'],
    ['.001', '0.001', 'DecimalSI'],
    ['1.', '1', 'DecimalSI'],
    ['1.G', '1000000000', 'DecimalSI'],
    ['+1', '1', 'DecimalSI'],
    ['-2', '-2', 'DecimalSI'],
    ['.', '0', 'DecimalSI'],
  ])('parses %j as %s in %s', (input, decimal, format) => {
    const got = q(input);
    expect(got.format).toBe(format);
    expect(got.cmp(q(decimal))).toBe(0);
  });

  it.each([
    [
      '',
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ],
    ['1.1.M', 'quantities must match the regular expression'],
    ['1+1.0M', 'quantities must match the regular expression'],
    ['aoeu', 'quantities must match the regular expression'],
    [' 1', 'quantities must match the regular expression'],
    ['1 ', 'quantities must match the regular expression'],
    ['0.1mi', "unable to parse quantity's suffix"],
    ['0.1am', 'quantities must match the regular expression'],
    ['.5i', "unable to parse quantity's suffix"],
    ['1i', "unable to parse quantity's suffix"],
    ['-3.01i', "unable to parse quantity's suffix"],
    ['-3.01e-', "unable to parse quantity's suffix"],
    ['1e', "unable to parse quantity's suffix"],
    ['1k5', "unable to parse quantity's suffix"],
    ['1e5000', 'quantity exponent must be between -1000 and 1000'],
  ])('rejects %j', (input, message) => {
    const result = parseQuantity(input);
    expect(result).toBeInstanceOf(QuantityParseError);
    expect((result as QuantityParseError).message.startsWith(message)).toBe(true);
    expect(() => q(input)).toThrow(QuantityParseError);
  });

  it('accepts JSON numbers as Kubernetes does for `cpu: 1`', () => {
    expect(Quantity.parse(1).toString()).toBe('1');
    expect(Quantity.parse(0.5).toString()).toBe('500m');
    expect(Quantity.parse(2.5e9).toString()).toBe('2500M');
    expect(parseQuantity(Number.NaN)).toBeInstanceOf(QuantityParseError);
  });
});

describe('Quantity canonical string', () => {
  it.each([
    // Kubernetes' own documentation examples.
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['1000m', '1'],
    ['0.5', '500m'],
    ['2e3', '2e3'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['0.5Gi', '512Mi'],
    ['1Ki', '1Ki'],
    ['100m', '100m'],
    ['500Mi', '500Mi'],
    ['1k', '1k'],
    ['1M', '1M'],
    ['1e-3', '1e-3'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['-1024Mi', '-1Gi'],
    ['1.5Ki', '1536'],
    ['0.9Gi', '966367641600m'],
    ['0.30000000000000004', '300000001n'],
    ['1080m', '1080m'],
    ['1.08', '1080m'],
    ['10800e-4', '1080e-3'],
    ['1000E', '1e21'],
    ['0.001T', '1G'],
    ['307200Ki', '300Mi'],
    ['1025Ki', '1025Ki'],
    ['12E', '12E'],
    ['0.5e0', '500e-3'],
    ['-0.5', '-500m'],
  ])('%j is written as %j', (input, canonical) => {
    expect(q(input).toString()).toBe(canonical);
    expect(q(canonical).toString()).toBe(canonical);
    expect(q(canonical).equals(q(input))).toBe(true);
  });

  it.each([
    ['+1', '1'],
    ['1E3', '1e3'],
    ['1.500', '1500m'],
  ])(
    'keeps %j as written, like Kubernetes, but canonicalizes to %j on request',
    (input, canonical) => {
      expect(q(input).toString()).toBe(input);
      expect(q(input).canonical()).toBe(canonical);
    },
  );

  it('drops the kept string after arithmetic', () => {
    expect(q('1E3').add(Quantity.zero).toString()).toBe('1e3');
  });

  it('serializes to JSON as its string', () => {
    expect(JSON.stringify({ cpu: q('1.5') })).toBe('{"cpu":"1500m"}');
  });
});

describe('Quantity arithmetic', () => {
  it('adds decimals exactly', () => {
    expect(q('0.1').add(q('0.2')).equals(q('0.3'))).toBe(true);
    expect(q('0.1').add(q('0.2')).toString()).toBe('300m');
  });

  it.each<[string, string, string]>([
    ['100m', '900m', '1'],
    ['1Gi', '512Mi', '1536Mi'],
    ['1', '500m', '1500m'],
    ['0', '1Gi', '1Gi'],
    ['1Gi', '0', '1Gi'],
    ['100m', '0', '100m'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(q(a).add(q(b)).toString()).toBe(sum);
  });

  it.each<[string, string, string]>([
    ['1', '100m', '900m'],
    ['1Gi', '512Mi', '512Mi'],
    ['100m', '100m', '0'],
    ['0', '1Gi', '-1Gi'],
    ['100m', '200m', '-100m'],
  ])('%s - %s = %s', (a, b, diff) => {
    expect(q(a).sub(q(b)).toString()).toBe(diff);
  });

  it('keeps the format of the left operand unless it is zero', () => {
    expect(q('1Gi').add(q('1G')).format).toBe('BinarySI');
    expect(Quantity.zero.add(q('1Gi')).format).toBe('BinarySI');
  });

  it.each<[string, string, number]>([
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1Gi', '1073741824', 0],
    ['1k', '1Ki', -1],
    ['-1', '1m', -1],
  ])('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(q(a).cmp(q(b))).toBe(expected);
    expect(q(b).cmp(q(a))).toBe(expected === 0 ? 0 : -expected);
  });

  it('multiplies exactly', () => {
    expect(q('250m').mul(4).toString()).toBe('1');
  });
});

describe('Quantity values', () => {
  it.each<[string, number, number]>([
    ['1', 1, 1000],
    ['100m', 1, 100],
    ['1.5', 2, 1500],
    ['1Gi', 1073741824, 1073741824000],
    ['1n', 1, 1],
    ['1.0001m', 1, 2],
    ['-1.5', -2, -1500],
    ['2e3', 2000, 2000000],
  ])('%s has value %i and milliValue %i', (input, value, milli) => {
    expect(q(input).value()).toBe(value);
    expect(q(input).milliValue()).toBe(milli);
  });

  it('builds quantities from counts and millis', () => {
    expect(Quantity.of(1024, 'BinarySI').toString()).toBe('1Ki');
    expect(Quantity.of(1000).toString()).toBe('1k');
    expect(Quantity.of(1000000, 'DecimalExponent').toString()).toBe('1e6');
    expect(Quantity.milli(1).toString()).toBe('1m');
    expect(Quantity.milli(1234000).toString()).toBe('1234');
    expect(Quantity.milli(1024, 'BinarySI').toString()).toBe('1024m');
    expect(Quantity.scaled(1, -9).toString()).toBe('1n');
  });

  it('reports int64 values exactly and refuses fractions', () => {
    expect(q('9223372036854775807').asInt64()).toBe(9223372036854775807n);
    expect(q('1.5').asInt64()).toBeUndefined();
  });

  it('rounds the sign-preserving way Kubernetes does for negatives', () => {
    expect(q('-9.01').scaledValue(0)).toBe(-10n);
    expect(q('9.01').scaledValue(-1)).toBe(91n);
  });
});
