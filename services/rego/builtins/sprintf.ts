/**
 * sprintf with Go's fmt semantics. OPA hands Go's Sprintf an int for integral numbers that fit
 * an int64, a *big.Int for larger integers, a float64 for other numbers, the string itself for
 * strings, and the Rego text of anything else (booleans, null, collections) as a string.
 */
import Decimal from 'decimal.js';
import { BigNum, isArray, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { operandTypeError, stringOperand } from './operands';
import { goQuote, numberText, termText } from './term-text';

type Arg =
  | { kind: 'int'; value: bigint; big: boolean }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string };

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function toArg(v: Value): Arg {
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (typeof v === 'number' || v instanceof BigNum) {
    // A big literal in exponent form (2e308) is neither an int nor a float64 for OPA: it stays text.
    const isInt = typeof v === 'number' ? Number.isInteger(v) : /^-?\d+$/.test(numberText(v));
    if (isInt) {
      const i = typeof v === 'number' ? BigInt(v) : BigInt(v.d.toFixed(0));
      return { kind: 'int', value: i, big: i < INT64_MIN || i > INT64_MAX };
    }
    const f = typeof v === 'number' ? v : v.d.toNumber();
    if (Number.isFinite(f)) return { kind: 'float', value: f };
    return { kind: 'string', value: numberText(v) };
  }
  return { kind: 'string', value: termText(v) };
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
  verb: string;
}

// ----------------------------------------------------------------------------------- padding

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined) return s;
  const len = Array.from(s).length;
  if (len >= spec.width) return s;
  const fill = spec.width - len;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && (!numeric || spec.prec === undefined || spec.verb === 'f' || spec.verb === 'e' || spec.verb === 'g')) {
    const sign = numeric && /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function signed(negative: boolean, body: string, spec: Spec): string {
  if (negative) return '-' + body;
  if (spec.plus) return '+' + body;
  if (spec.space) return ' ' + body;
  return body;
}

// -------------------------------------------------------------------------------- integers

const INT_BASES: Record<string, number> = { d: 10, v: 10, s: 10, b: 2, o: 8, O: 8, x: 16, X: 16 };

function formatInt(arg: Extract<Arg, { kind: 'int' }>, spec: Spec): string | undefined {
  const { verb } = spec;
  if (verb === 'c') return pad(String.fromCodePoint(Number(arg.value)), spec, false);
  if (verb === 'q') return pad(goQuote(String.fromCodePoint(Number(arg.value)), "'"), spec, false);
  if (verb === 'U') {
    const hex = (arg.value < 0n ? -arg.value : arg.value).toString(16).toUpperCase().padStart(4, '0');
    return pad('U+' + hex, spec, false);
  }
  if (verb === 's' && !arg.big) return undefined;
  const base = INT_BASES[verb];
  if (base === undefined) return undefined;
  const negative = arg.value < 0n;
  let digits = (negative ? -arg.value : arg.value).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  if (spec.prec !== undefined) {
    digits = spec.prec === 0 && arg.value === 0n ? '' : digits.padStart(spec.prec, '0');
  }
  if (spec.sharp || verb === 'O') {
    if (verb === 'x') digits = '0x' + digits;
    else if (verb === 'X') digits = '0X' + digits;
    else if (verb === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    else if (verb === 'O') digits = '0o' + digits;
    else if (verb === 'b') digits = '0b' + digits;
  }
  return pad(signed(negative, digits, spec), spec, true);
}

// ---------------------------------------------------------------------------------- floats

/** Decimal digits and the position of the decimal point (value = 0.d1d2… × 10^dp). */
interface Digits {
  digits: string;
  dp: number;
}

/** Doubles are exact binary fractions; at most 767 significant digits are needed to write one. */
const Exact = Decimal.clone({ precision: 1100, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -1100, toExpPos: 1100 });

/** The exact value of a double, so that ties round to even as Go's strconv does. */
function exactDecimal(x: number): Decimal {
  if (Number.isInteger(x)) return new Exact(BigInt(x).toString());
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const e = (exponent === 0 ? 1 : exponent) - 1075;
  const value = new Exact(mantissa.toString()).times(new Exact(2).pow(e));
  return x < 0 ? value.neg() : value;
}

function digitsOf(x: number, significant?: number): Digits {
  const text =
    significant === undefined ? x.toExponential() : exactDecimal(x).toExponential(Math.max(significant - 1, 0));
  const [mantissa, exp] = text.split('e');
  let digits = mantissa.replace('.', '').replace('-', '');
  digits = digits.replace(/0+$/, '') || '0';
  return { digits, dp: digits === '0' ? 1 : Number(exp) + 1 };
}

function formatE(d: Digits, fractionDigits: number, e: string): string {
  const first = d.digits[0];
  const rest = d.digits.slice(1).padEnd(fractionDigits, '0').slice(0, fractionDigits);
  const exp = d.digits === '0' ? 0 : d.dp - 1;
  const expText = (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  return first + (fractionDigits > 0 ? '.' + rest : '') + e + expText;
}

function fixed(x: number, prec: number): string {
  return exactDecimal(x).toFixed(prec);
}

function formatG(x: number, prec: number | undefined, e: string): string {
  const shortest = prec === undefined;
  let p = shortest ? -1 : prec === 0 ? 1 : prec;
  const d = digitsOf(x, shortest ? undefined : p);
  let eprec = p;
  if (!shortest && eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (shortest || p > d.digits.length) p = d.digits.length;
    return formatE(d, p - 1, e);
  }
  if (shortest || p > d.dp) p = d.digits.length;
  const fraction = Math.max(p - d.dp, 0);
  return fixed(x, fraction);
}

/** Go's %v of a float64 (shortest digits, exponent from 1e+06 and below 1e-04). */
export function goFloatText(x: number): string {
  const body = formatG(Math.abs(x), undefined, 'e');
  return x < 0 || Object.is(x, -0) ? '-' + body : body;
}

function formatFloat(x: number, spec: Spec): string | undefined {
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let body: string;
  switch (spec.verb) {
    case 'f':
    case 'F':
      body = fixed(abs, spec.prec ?? 6);
      break;
    case 'e':
    case 'E':
      body = formatE(digitsOf(abs, (spec.prec ?? 6) + 1), spec.prec ?? 6, spec.verb);
      break;
    case 'g':
    case 'G':
    case 'v':
      body = formatG(abs, spec.prec, spec.verb === 'G' ? 'E' : 'e');
      break;
    default:
      return undefined;
  }
  return pad(signed(negative, body, spec), spec, true);
}

// --------------------------------------------------------------------------------- strings

function formatString(s: string, spec: Spec): string | undefined {
  switch (spec.verb) {
    case 's':
    case 'v': {
      const text = spec.prec === undefined ? s : Array.from(s).slice(0, spec.prec).join('');
      return pad(text, spec, false);
    }
    case 'q':
      return pad(goQuote(s), spec, false);
    case 'x':
    case 'X': {
      let hex = Buffer.from(s, 'utf8').toString('hex');
      if (spec.verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec, false);
    }
    default:
      return undefined;
  }
}

// --------------------------------------------------------------------------------- driver

function goTypeName(arg: Arg): string {
  if (arg.kind === 'int') return arg.big ? '*big.Int' : 'int';
  return arg.kind === 'float' ? 'float64' : 'string';
}

function plainValue(arg: Arg): string {
  const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined, verb: 'v' };
  return formatArg(arg, spec) ?? '';
}

function formatArg(arg: Arg, spec: Spec): string | undefined {
  if (arg.kind === 'int') return formatInt(arg, spec);
  if (arg.kind === 'float') return formatFloat(arg.value, spec);
  return formatString(arg.value, spec);
}

/** `%[flags][[n]](*|width)[.[[n]](*|prec)][[n]]verb`, Go's grammar including argument indexes. */
const SPEC = /%([-+# 0]*)(?:\[(\d+)\])?(\*|\d+)?(?:\.(?:\[(\d+)\])?(\*|\d+)?)?(?:\[(\d+)\])?(.?)/y;

/** Walks the arguments the way fmt does: sequentially, or from an explicit `[n]` onwards. */
class ArgCursor {
  next = 0;
  reordered = false;
  badIndex = false;

  constructor(readonly args: Arg[]) {}

  /** Moves to argument n (1-based) when given; false when n is out of range. */
  seek(n: string | undefined): void {
    if (n === undefined) return;
    this.reordered = true;
    const i = Number(n) - 1;
    if (i < 0 || i >= this.args.length) this.badIndex = true;
    else this.next = i;
  }

  take(): Arg | undefined {
    return this.next < this.args.length ? this.args[this.next++] : undefined;
  }

  /** A `*` width or precision: an int argument, else undefined (Go's BADWIDTH/BADPREC). */
  star(): number | undefined {
    const a = this.take();
    return a && a.kind === 'int' && a.value >= -1000000n && a.value <= 1000000n ? Number(a.value) : undefined;
  }
}

function formatOne(m: RegExpExecArray, cursor: ArgCursor): string {
  const [text, flags, widthIndex, width, precIndex, precision, verbIndex, verb] = m;
  let out = '';
  const spec: Spec = {
    minus: flags.includes('-'),
    plus: flags.includes('+'),
    sharp: flags.includes('#'),
    space: flags.includes(' '),
    zero: flags.includes('0') && !flags.includes('-'),
    width: undefined,
    prec: undefined,
    verb,
  };
  cursor.seek(widthIndex);
  if (width === '*') {
    const w = cursor.star();
    if (w === undefined) out += '%!(BADWIDTH)';
    else if (w < 0) {
      spec.minus = true;
      spec.zero = false;
      spec.width = -w;
    } else spec.width = w;
  } else if (width !== undefined) spec.width = Number(width);
  if (text.includes('.')) {
    cursor.seek(precIndex);
    if (precision === '*') {
      const p = cursor.star();
      if (p === undefined) out += '%!(BADPREC)';
      else spec.prec = p < 0 ? undefined : p;
    } else spec.prec = precision === undefined ? 0 : Number(precision);
  }
  cursor.seek(verbIndex);
  if (verb === '%') return out + '%';
  if (cursor.badIndex) {
    cursor.badIndex = false;
    return out + `%!${verb}(BADINDEX)`;
  }
  const arg = cursor.take();
  if (arg === undefined) return out + `%!${verb}(MISSING)`;
  if (verb === 'T') return out + pad(goTypeName(arg), { ...spec, zero: false }, false);
  return out + (formatArg(arg, spec) ?? `%!${verb}(${goTypeName(arg)}=${plainValue(arg)})`);
}

export function goSprintf(format: string, values: Value[]): string {
  const cursor = new ArgCursor(values.map(toArg));
  let out = '';
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    SPEC.lastIndex = pct;
    const m = SPEC.exec(format) as RegExpExecArray;
    i = SPEC.lastIndex;
    if (m[7] === '') {
      out += '%!(NOVERB)';
      break;
    }
    out += formatOne(m, cursor);
  }
  if (!cursor.reordered && cursor.next < cursor.args.length) {
    const extra = cursor.args.slice(cursor.next).map((a) => `${goTypeName(a)}=${plainValue(a)}`);
    out += '%!(EXTRA ' + extra.join(', ') + ')';
  }
  return out;
}

export const sprintfBuiltins: BuiltinDef[] = [
  builtin({
    name: 'sprintf',
    category: 'strings',
    args: ['string', { array: 'any' }],
    result: 'string',
    impl: ([f, a]) => {
      const format = stringOperand(f, 1);
      if (!isArray(a)) throw operandTypeError(2, a, 'array');
      return goSprintf(format, a);
    },
  }),
];
