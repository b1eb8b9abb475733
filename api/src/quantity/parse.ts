// Splitting a quantity string into sign, digits and suffix, and what each suffix means. This
// follows Kubernetes' hand-written scanner rather than a regular expression because the scanner
// is what decides edge cases (`.5`, `1.`, `+1`, `1E` is exa but `1E3` is an exponent).

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const errFormatWrong =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const errSuffix = "unable to parse quantity's suffix";
export const errNumeric = 'unable to parse numeric part of quantity';

/** A string that is not a Kubernetes quantity; the message is Kubernetes' own. */
export class QuantityParseError extends Error {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

export interface QuantityParts {
  readonly positive: boolean;
  /** Integer digits without leading zeros; "0" when there are none. */
  readonly num: string;
  /** Fraction digits, possibly empty. */
  readonly denom: string;
  readonly suffix: string;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const suffixChars = 'eEinumkKMGTP';

export function splitQuantity(str: string): QuantityParts | QuantityParseError {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str.startsWith('-')) {
    positive = false;
    pos++;
  } else if (str.startsWith('+')) {
    pos++;
  }
  while (pos < end && str.charAt(pos) === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };

  let i = pos;
  while (i < end && isDigit(str.charAt(i))) i++;
  const num = str.slice(pos, i) || '0';
  pos = i;

  let denom = '';
  if (pos < end && str.charAt(pos) === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str.charAt(i))) i++;
    denom = str.slice(pos, i);
    pos = i;
  }

  // The suffix: letters from the suffix alphabet, then an optional sign and digits.
  const suffixStart = pos;
  while (pos < end && suffixChars.includes(str.charAt(pos))) pos++;
  if (pos < end && (str.charAt(pos) === '-' || str.charAt(pos) === '+')) pos++;
  while (pos < end && isDigit(str.charAt(pos))) pos++;
  if (pos < end) return new QuantityParseError(errFormatWrong, str);
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

export interface SuffixMeaning {
  readonly base: 2 | 10;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

const decimalSuffixes: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);

const binarySuffixes: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);

/**
 * Decimal exponents beyond this are refused: Kubernetes keeps them lazily, but comparing
 * `1e1000000000` with anything would need a billion-digit integer. No resource comes close.
 */
export const maxDecimalExponent = 1000;

export function interpretSuffix(suffix: string): SuffixMeaning | QuantityParseError {
  const dec = decimalSuffixes.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = binarySuffixes.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (/^[+-]?[0-9]+$/.test(digits)) {
      const exponent = Number(digits);
      if (Math.abs(exponent) <= maxDecimalExponent) {
        return { base: 10, exponent, format: 'DecimalExponent' };
      }
      return new QuantityParseError(
        `quantity exponent must be between -${maxDecimalExponent} and ${maxDecimalExponent}`,
        suffix,
      );
    }
  }
  return new QuantityParseError(errSuffix, suffix);
}

/** Suffix for a DecimalSI power of ten that is a multiple of 3 within n…E. */
export function decimalSuffixFor(exponent: number): string | undefined {
  for (const [suffix, e] of decimalSuffixes) if (e === exponent) return suffix;
  return undefined;
}

/** Suffix for 1024^times (0 → "", 1 → Ki, … 6 → Ei). */
export function binarySuffixFor(times: number): string | undefined {
  if (times === 0) return '';
  for (const [suffix, e] of binarySuffixes) if (e === times * 10) return suffix;
  return undefined;
}
