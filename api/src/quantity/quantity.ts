// Kubernetes' resource.Quantity: an exact decimal (a bigint times a power of ten, never a float,
// so 0.1 + 0.2 is exactly 300m) plus the format family it prints in. Parsing, rounding and the
// canonical string follow Kubernetes so `1.5Gi` is stored as `1536Mi` here too.
import {
  type QuantityFormat,
  QuantityParseError,
  binarySuffixFor,
  decimalSuffixFor,
  errFormatWrong,
  interpretSuffix,
  splitQuantity,
} from './parse.js';

/** Non-zero values are rounded away from zero to this power of ten (1n) when parsed. */
const nanoExponent = -9;
const maxBinaryValue = 2n ** 63n - 1n;
const int64Max = 2n ** 63n - 1n;

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (n: bigint): bigint => (n < 0n ? -n : n);

/** Divides |n| by d rounding away from zero, keeping n's sign. */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = abs(n) / d;
  const r = abs(n) % d;
  const rounded = r === 0n ? q : q + 1n;
  return n < 0n ? -rounded : rounded;
}

export class Quantity {
  private constructor(
    /** value = unscaled × 10^exponent */
    private readonly unscaled: bigint,
    private readonly exponent: number,
    readonly format: QuantityFormat,
    /** The input string when Kubernetes would keep it as the serialized form. */
    private readonly cached?: string,
  ) {}

  static readonly zero = new Quantity(0n, 0, 'DecimalSI', '0');

  /** Parses a quantity; a JSON number (YAML `cpu: 1`) is accepted as Kubernetes does. */
  static parse(input: string | number): Quantity {
    const result = parseQuantity(input);
    if (result instanceof QuantityParseError) throw result;
    return result;
  }

  /** Kubernetes' NewQuantity: an integer count in the given format. */
  static of(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(value), 0, format);
  }

  /** Kubernetes' NewMilliQuantity: thousandths (millicores). */
  static milli(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(value), -3, format);
  }

  /** Kubernetes' NewScaledQuantity: value × 10^exponent. */
  static scaled(value: number | bigint, exponent: number): Quantity {
    return new Quantity(toBigInt(value), exponent, 'DecimalSI');
  }

  /**
   * Parses like Kubernetes' ParseQuantity, returning the error instead of throwing (for
   * validators that collect every problem).
   */
  static tryParse(input: string | number): Quantity | QuantityParseError {
    const str = typeof input === 'number' ? numberToString(input) : input;
    if (str === undefined || str.length === 0) {
      return new QuantityParseError(errFormatWrong, String(input));
    }
    if (str === '0') return Quantity.zero;
    const parts = splitQuantity(str);
    if (parts instanceof QuantityParseError) return parts;
    const meaning = interpretSuffix(parts.suffix);
    if (meaning instanceof QuantityParseError) return new QuantityParseError(meaning.message, str);

    const { positive, num, denom } = parts;
    const digits = BigInt(num + denom);
    let unscaled = positive ? digits : -digits;
    let exponent = -denom.length;
    if (meaning.base === 10) exponent += meaning.exponent;
    else unscaled *= 2n ** BigInt(meaning.exponent);

    let format = meaning.format;
    if (unscaled !== 0n && exponent < nanoExponent) {
      // Round tiny amounts up rather than to zero: asking for a resource should get some.
      unscaled = divAwayFromZero(unscaled, pow10(nanoExponent - exponent));
      exponent = nanoExponent;
    }
    if (format === 'BinarySI') {
      const one = pow10(Math.max(0, -exponent));
      const magnitude = abs(unscaled) * pow10(Math.max(0, exponent));
      if (magnitude > maxBinaryValue * one) {
        unscaled = unscaled < 0n ? -maxBinaryValue : maxBinaryValue;
        exponent = 0;
      } else if (magnitude !== 0n && magnitude < one) {
        format = 'DecimalSI';
      }
    }
    const cached = keepsInputString(parts, meaning.format, meaning.exponent) ? str : undefined;
    return new Quantity(unscaled, exponent, format, cached);
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  /** Both unscaled values at the smaller exponent, and that exponent. */
  private static align(a: Quantity, b: Quantity): [bigint, bigint, number] {
    const e = Math.min(a.exponent, b.exponent);
    return [a.unscaled * pow10(a.exponent - e), b.unscaled * pow10(b.exponent - e), e];
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    const [a, b] = Quantity.align(this, other);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** The sum, in this quantity's format (or the other's, if this one is zero). */
  add(other: Quantity): Quantity {
    const [a, b, exponent] = Quantity.align(this, other);
    return new Quantity(a + b, exponent, this.isZero() ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    const [a, b, exponent] = Quantity.align(this, other);
    return new Quantity(a - b, exponent, this.isZero() ? other.format : this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.unscaled, this.exponent, this.format);
  }

  /** Multiplies by an integer, exactly. */
  mul(factor: number | bigint): Quantity {
    return new Quantity(this.unscaled * toBigInt(factor), this.exponent, this.format);
  }

  /**
   * The value in units of 10^scale, rounded away from zero as Kubernetes' ScaledValue does:
   * a request for 1m of CPU is 1 millicore, 0.5 bytes is 1 byte.
   */
  scaledValue(scale: number): bigint {
    const shift = this.exponent - scale;
    if (shift >= 0) return this.unscaled * pow10(shift);
    return divAwayFromZero(this.unscaled, pow10(-shift));
  }

  /** Kubernetes' Value(): whole units, rounded up. Exact up to 2^53. */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** Kubernetes' MilliValue(): thousandths, rounded up. Exact up to 2^53. */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  /** Kubernetes' AsInt64: the whole value if it is an integer that fits in an int64. */
  asInt64(): bigint | undefined {
    const v = this.scaledValue(0);
    if (v > int64Max || v < -int64Max - 1n) return undefined;
    return this.equals(new Quantity(v, 0, this.format)) ? v : undefined;
  }

  /** A float for scoring and display; may lose precision. */
  asApproximateFloat(): number {
    return Number(this.unscaled) * 10 ** this.exponent;
  }

  /**
   * What Kubernetes serializes: the input string when it was already canonical (Kubernetes keeps
   * `1E3`, `+1` and `1.500` as written), otherwise the canonical form.
   */
  toString(): string {
    return this.cached ?? this.canonical();
  }

  toJSON(): string {
    return this.toString();
  }

  /**
   * The canonical form: no fraction digits, the largest suffix that loses no precision, in the
   * quantity's format family (BinarySI falls back to DecimalSI below 1024 or for fractions).
   */
  canonical(): string {
    if (this.unscaled === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      // Below 1Ki, or with a fraction, a binary suffix cannot say it exactly.
      const whole = this.exponent >= 0 || this.unscaled % pow10(-this.exponent) === 0n;
      const small = this.cmp(Quantity.of(1024)) < 0 && this.cmp(Quantity.of(-1024)) > 0;
      if (!whole || small) format = 'DecimalSI';
    }
    if (format === 'BinarySI') return this.canonicalBinary();
    return this.canonicalDecimal(format);
  }

  private canonicalDecimal(format: QuantityFormat): string {
    let mantissa = this.unscaled;
    let exponent = this.exponent;
    while (mantissa % 10n === 0n) {
      mantissa /= 10n;
      exponent++;
    }
    // Exponents are multiples of three so the suffix is one of k, M, m, …
    while (((exponent % 3) + 3) % 3 !== 0) {
      mantissa *= 10n;
      exponent--;
    }
    if (exponent === 0) return mantissa.toString();
    const suffix = format === 'DecimalSI' ? decimalSuffixFor(exponent) : undefined;
    // Past E (10^18) DecimalSI has no suffix; Kubernetes falls back to exponent notation.
    return `${mantissa}${suffix ?? `e${exponent}`}`;
  }

  private canonicalBinary(): string {
    let mantissa = this.scaledValue(0);
    let times = 0;
    while (abs(mantissa) >= 1024n && mantissa % 1024n === 0n && times < 6) {
      mantissa /= 1024n;
      times++;
    }
    return `${mantissa}${binarySuffixFor(times) ?? ''}`;
  }
}

function toBigInt(value: number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return BigInt(value);
}

/**
 * Kubernetes caches the input as the serialized form on its int64 fast path when the digits
 * are already canonical. Reproducing the rule keeps what we store byte-identical to Kubernetes.
 */
function keepsInputString(
  parts: { num: string; denom: string },
  format: QuantityFormat,
  suffixExponent: number,
): boolean {
  const { num, denom } = parts;
  if (format === 'BinarySI') {
    if (denom.length > 0) return false;
    const precision = 15 - num.length - Math.trunc((suffixExponent * 3) / 10) - 1;
    if (precision < 0) return false;
    const value = BigInt(num);
    return value * 2n ** BigInt(suffixExponent) <= int64Max && (value & 7n) !== 0n;
  }
  if (18 - (num.length + denom.length) < 0) return false;
  const scale = suffixExponent - denom.length;
  if (scale < nanoExponent) return false;
  const shifted = num + denom;
  return scale % 3 === 0 && !shifted.endsWith('000') && !shifted.startsWith('0');
}

function numberToString(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  return Object.is(n, -0) ? '0' : String(n);
}

/** Kubernetes' ParseQuantity without throwing: the quantity, or why the string is not one. */
export function parseQuantity(input: string | number): Quantity | QuantityParseError {
  return Quantity.tryParse(input);
}
