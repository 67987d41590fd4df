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

const POW5: bigint[] = [1n];

function pow5(n: number): bigint {
  while (POW5.length <= n) POW5.push(POW5[POW5.length - 1] * 5n);
  return POW5[n];
}

/** The exact decimal of m × 2^shift (m > 0), as big's decimal.init makes it. */
function decimalOf2(m: bigint, shift: number): Decimal10 {
  const text = shift >= 0 ? (m << BigInt(shift)).toString() : (m * pow5(-shift)).toString();
  const dp = shift >= 0 ? text.length : text.length + shift;
  return { digits: text.replace(/0+$/, ''), dp };
}

function digitAt(d: Decimal10, i: number): number {
  return i < d.digits.length ? d.digits.charCodeAt(i) - 48 : 0;
}

/** d rounded to n digits: half to even when exactly half, as big's decimal.round does. */
function roundDigits(d: Decimal10, n: number, mode: 'nearest' | 'down' | 'up'): Decimal10 {
  if (n >= d.digits.length) return d;
  let up = mode === 'up';
  if (mode === 'nearest') {
    const next = digitAt(d, n);
    const half = next === 5 && n + 1 === d.digits.length;
    up = half ? n > 0 && digitAt(d, n - 1) % 2 === 1 : next >= 5;
  }
  if (!up) return { digits: d.digits.slice(0, n).replace(/0+$/, ''), dp: d.dp };
  const digits = d.digits.slice(0, n).split('').map(Number);
  let i = n - 1;
  while (i >= 0 && digits[i] === 9) digits[i--] = 0;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  digits[i]++;
  return { digits: digits.join('').replace(/0+$/, ''), dp: d.dp };
}

/** big.Float's roundShortest: the fewest digits that still read back as this float. */
function shortestDecimal(f: BigFloat): Decimal10 {
  // x = mant2 × 2^exp2 with the last bit of mant2 worth half an ulp.
  const mant2 = f.mant << 1n;
  const exp2 = f.exp - 1;
  const d = decimalOf2(mant2, exp2);
  const lower = decimalOf2(mant2 - 1n, exp2);
  const upper = decimalOf2(mant2 + 1n, exp2);
  const inclusive = (f.mant & 1n) === 0n;
  for (let i = 0; i < d.digits.length; i++) {
    const m = digitAt(d, i);
    const l = digitAt(lower, i);
    const u = digitAt(upper, i);
    const okDown = l !== m || (inclusive && i + 1 === lower.digits.length);
    const okUp = m !== u && (inclusive || m + 1 < u || i + 1 < upper.digits.length);
    if (okDown && okUp) return roundDigits(d, i + 1, 'nearest');
    if (okDown) return roundDigits(d, i + 1, 'down');
    if (okUp) return roundDigits(d, i + 1, 'up');
  }
  return d;
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
