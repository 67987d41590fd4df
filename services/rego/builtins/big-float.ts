/**
 * Go's math/big.Float as OPA uses it for non-integer arithmetic: binary floating point with a
 * 64-bit mantissa (the precision SetString and SetInt give), rounding half to even, printed with
 * the shortest decimal that reads back to the same value (Text('g'|'f', -1)). Emulating it is
 * what makes `0.3 - 0.1` come out as OPA's 0.20000000000000000002 rather than 0.2.
 */
import { BigNum, parseNumber } from '../value';

/** value = (neg ? -1 : 1) × mant × 2^exp, mant exactly `prec` bits long (or 0). */
export interface BigFloat {
  readonly neg: boolean;
  readonly mant: bigint;
  readonly exp: number;
  readonly prec: number;
}

export const DEFAULT_PREC = 64;

const HEX_DIGIT_BITS = [0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4];

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + HEX_DIGIT_BITS[parseInt(hex[0], 16)];
}

/** floor(log2(p/q)) for positive p, q. */
function floorLog2(p: bigint, q: bigint): number {
  const t = bitLength(p) - bitLength(q);
  const atLeast = t >= 0 ? p >= q << BigInt(t) : p << BigInt(-t) >= q;
  return atLeast ? t : t - 1;
}

/** p × 2^s / q, rounded half to even; p, q > 0. */
function scaledRound(p: bigint, q: bigint, s: number): bigint {
  const num = s >= 0 ? p << BigInt(s) : p;
  const den = s >= 0 ? q : q << BigInt(-s);
  const quo = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && (quo & 1n) === 1n)) return quo + 1n;
  return quo;
}

/** The float nearest to ±p/q (p ≥ 0, q > 0) at `prec` bits. */
export function fromRational(neg: boolean, p: bigint, q: bigint, prec = DEFAULT_PREC): BigFloat {
  if (p === 0n) return { neg, mant: 0n, exp: 0, prec };
  let t = floorLog2(p, q);
  let mant = scaledRound(p, q, prec - 1 - t);
  if (mant === 1n << BigInt(prec)) {
    mant >>= 1n;
    t++;
  }
  return { neg, mant, exp: t - (prec - 1), prec };
}

const TEN = 10n;

/** big.Float.SetString of a number's decimal text. */
export function fromNumber(n: number | BigNum): BigFloat {
  const text = typeof n === 'number' ? String(n) : n.d.toString();
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, frac = '', e = '0'] = m;
  const digits = BigInt((whole + frac).replace(/^0+(?=\d)/, '') || '0');
  const exp10 = Number(e) - frac.length;
  const p = exp10 >= 0 ? digits * TEN ** BigInt(exp10) : digits;
  const q = exp10 >= 0 ? 1n : TEN ** BigInt(-exp10);
  return fromRational(sign === '-', p, q);
}

/** big.Float.SetInt: exact, at least 64 bits. */
export function fromBigInt(i: bigint): BigFloat {
  const abs = i < 0n ? -i : i;
  return fromRational(i < 0n, abs, 1n, Math.max(DEFAULT_PREC, bitLength(abs)));
}

/** The exact value as a signed rational num/den. */
function rational(f: BigFloat): [bigint, bigint] {
  const m = f.neg ? -f.mant : f.mant;
  return f.exp >= 0 ? [m << BigInt(f.exp), 1n] : [m, 1n << BigInt(-f.exp)];
}

function fromSignedRational(num: bigint, den: bigint, prec: number): BigFloat {
  return fromRational(num < 0n, num < 0n ? -num : num, den, prec);
}

/** Results round to `prec` bits: by default the wider operand's, as a fresh big.Float receiver does. */
export function add(a: BigFloat, b: BigFloat, prec = Math.max(a.prec, b.prec)): BigFloat {
  const [an, ad] = rational(a);
  const [bn, bd] = rational(b);
  return fromSignedRational(an * bd + bn * ad, ad * bd, prec);
}

export function neg(a: BigFloat): BigFloat {
  return { ...a, neg: !a.neg };
}

export function sub(a: BigFloat, b: BigFloat, prec = Math.max(a.prec, b.prec)): BigFloat {
  return add(a, neg(b), prec);
}

export function mul(a: BigFloat, b: BigFloat, prec = Math.max(a.prec, b.prec)): BigFloat {
  const [an, ad] = rational(a);
  const [bn, bd] = rational(b);
  return fromSignedRational(an * bn, ad * bd, prec);
}

/** big.NewFloat(x) for a double: exact at 53 bits. */
export function fromDouble(x: number): BigFloat {
  return roundTo(fromNumber(x), 53);
}

function roundTo(a: BigFloat, prec: number): BigFloat {
  const [num, den] = rational(a);
  return fromSignedRational(num, den, prec);
}

/** Quotient; the caller has ruled out a zero divisor. */
export function quo(a: BigFloat, b: BigFloat): BigFloat {
  const [an, ad] = rational(a);
  const [bn, bd] = rational(b);
  const num = an * bd;
  const den = ad * bn;
  return den < 0n ? fromSignedRational(-num, -den, Math.max(a.prec, b.prec)) : fromSignedRational(num, den, Math.max(a.prec, b.prec));
}

export function isZero(a: BigFloat): boolean {
  return a.mant === 0n;
}

/** big.Float.Int: truncation toward zero. */
export function truncate(a: BigFloat): bigint {
  const [num, den] = rational(a);
  return num / den;
}

export function isInt(a: BigFloat): boolean {
  const [num, den] = rational(a);
  return num % den === 0n;
}

// -------------------------------------------------------------------------------- printing

/** Decimal digits (no trailing zeros) with the value = 0.digits × 10^dp. */
interface Decimal10 {
  digits: string;
  dp: number;
}

const POW10: bigint[] = [1n];

function pow10(n: number): bigint {
  if (n > 2000) return TEN ** BigInt(n);
  while (POW10.length <= n) POW10.push(POW10[POW10.length - 1] * TEN);
  return POW10[n];
}

/** floor(log10(p/q)) for positive p, q. */
function floorLog10(p: bigint, q: bigint): number {
  let e = Math.floor((bitLength(p) - bitLength(q)) * Math.log10(2));
  const ge = (k: number): boolean => (k >= 0 ? p >= q * pow10(k) : p * pow10(-k) >= q);
  while (!ge(e)) e--;
  while (ge(e + 1)) e++;
  return e;
}

/** Shortest decimal inside the rounding interval of `f`, preferring the nearest (Go's roundShortest). */
function shortestDecimal(f: BigFloat): Decimal10 {
  const [num, den] = rational({ ...f, neg: false });
  // Interval ends as rationals over a common denominator 4·den: x ± ulp/2 (ulp/4 below a power of two).
  const ulp4 = f.exp >= 0 ? [4n << BigInt(f.exp), 1n] : [4n, 1n << BigInt(-f.exp)];
  const scale = 4n * den * ulp4[1];
  const x = num * 4n * ulp4[1];
  const halfUlp = (ulp4[0] * den) / 2n;
  const lowerGap = f.mant === 1n << BigInt(f.prec - 1) ? halfUlp / 2n : halfUlp;
  const lower = x - lowerGap;
  const upper = x + halfUlp;
  const inclusive = (f.mant & 1n) === 0n;
  const e = floorLog10(num, den);
  const attempt = (n: number): Decimal10 | undefined => {
    const shift = e - n + 1;
    // candidate c × 10^shift, compared in units of 1/scale
    const unitNum = shift >= 0 ? pow10(shift) * scale : scale;
    const unitDen = shift >= 0 ? 1n : pow10(-shift);
    const scaledX = x * unitDen;
    const down = scaledX / unitNum;
    const rem = scaledX % unitNum;
    const up = rem === 0n ? down : down + 1n;
    const twice = 2n * rem;
    const nearest = twice > unitNum || (twice === unitNum && (down & 1n) === 1n) ? up : down;
    const lo = lower * unitDen;
    const hi = upper * unitDen;
    for (const c of [nearest, down, up]) {
      const v = c * unitNum;
      if (inclusive ? v >= lo && v <= hi : v > lo && v < hi) return normalise(c, shift);
    }
    return undefined;
  };
  // A digit count that works still works with one more digit, so search for the least one.
  let low = 1;
  let high = 2;
  while (attempt(high) === undefined) high *= 2;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (attempt(mid) === undefined) low = mid + 1;
    else high = mid;
  }
  return attempt(low) as Decimal10;
}

function normalise(c: bigint, shift: number): Decimal10 {
  const text = c.toString();
  const digits = text.replace(/0+$/, '') || '0';
  return { digits, dp: text.length + shift };
}

/** OPA's FloatToNumber text: 'f' for integral values, 'g' (exponent from 1e+06 or below 1e-04) otherwise. */
export function toText(f: BigFloat): string {
  if (isZero(f)) return f.neg ? '-0' : '0';
  const { digits, dp } = shortestDecimal(f);
  const sign = f.neg ? '-' : '';
  if (isInt(f)) return sign + digits + '0'.repeat(Math.max(dp - digits.length, 0));
  const exp = dp - 1;
  if (exp < -4 || exp >= 6) {
    const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (dp <= 0) return `${sign}0.${'0'.repeat(-dp)}${digits}`;
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** The Rego number OPA's result text stands for. */
export function toValue(f: BigFloat): number | BigNum {
  return parseNumber(toText(f).replace(/^-0$/, '0'));
}
