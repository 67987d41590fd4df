/** `units.parse` (SI and binary suffixes, `m` = milli) and `units.parse_bytes`, as OPA parses them. */
import Decimal from 'decimal.js';
import { BuiltinError } from '../errors';
import { makeNumber, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { stringOperand } from './operands';

const Exact = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_UP });

// OPA multiplies by the float64 nearest 0.001, exactly, then rounds to 10 decimals.
const MILLI = new Exact('0.001000000000000000020816681711721685132943093776702880859375');
const MAX_EXPONENT_DIGITS = 6;
const NUMBER_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function power(base: number, exp: number): Decimal {
  return new Exact(base).pow(exp);
}

const SI_UNITS: Record<string, Decimal> = {
  '': new Exact(1),
  m: MILLI,
  k: power(1000, 1),
  K: power(1000, 1),
  ki: power(1024, 1),
  Ki: power(1024, 1),
  M: power(1000, 2),
  mi: power(1024, 2),
  Mi: power(1024, 2),
  g: power(1000, 3),
  G: power(1000, 3),
  gi: power(1024, 3),
  Gi: power(1024, 3),
  t: power(1000, 4),
  T: power(1000, 4),
  ti: power(1024, 4),
  Ti: power(1024, 4),
  p: power(1000, 5),
  P: power(1000, 5),
  pi: power(1024, 5),
  Pi: power(1024, 5),
  e: power(1000, 6),
  E: power(1000, 6),
  ei: power(1024, 6),
  Ei: power(1024, 6),
};

const BYTE_UNITS: Record<string, Decimal> = { '': new Exact(1) };
for (const [i, prefix] of ['k', 'm', 'g', 't', 'p', 'e'].entries()) {
  BYTE_UNITS[prefix] = BYTE_UNITS[prefix + 'b'] = power(1000, i + 1);
  BYTE_UNITS[prefix + 'i'] = BYTE_UNITS[prefix + 'ib'] = power(1024, i + 1);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * Splits "12.5e3Mi" into number text and unit. An `e` belongs to the number only when a digit
 * or sign follows it. Returns null when the exponent has too many digits.
 */
function splitAmount(s: string): [string, string] | null {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const numeric = isDigit(c) || c === '.' || c === '+' || c === '-';
    if (c === 'e' || c === 'E') {
      const next = s[i + 1];
      if (!isDigit(next) && next !== '+' && next !== '-') return [s.slice(0, i), s.slice(i)];
      if (next === '+' || next === '-') i++;
      let end = i + 1;
      while (isDigit(s[end])) end++;
      if (end - (i + 1) > MAX_EXPONENT_DIGITS) return null;
    } else if (!numeric) {
      return [s.slice(0, i), s.slice(i)];
    }
  }
  return [s, ''];
}

function parseUnits(raw: string): Value {
  const s = raw.replaceAll('"', '');
  if (s.includes(' ')) throw new BuiltinError('spaces not allowed in resource strings');
  const parts = splitAmount(s);
  if (!parts) throw new BuiltinError('exponent too large');
  const [num, rawUnit] = parts;
  if (num === '') throw new BuiltinError('no amount provided');
  // Only letters after the first are folded, so `m` (milli) and `M` (mega) stay distinct.
  const unit = rawUnit.length > 1 ? rawUnit[0] + rawUnit.slice(1).toLowerCase() : rawUnit;
  const multiplier = SI_UNITS[unit];
  if (!multiplier) throw new BuiltinError(`unit ${unit} not recognized`);
  if (!NUMBER_SYNTAX.test(num)) throw new BuiltinError('could not parse amount to a number');
  const product = new Exact(num).mul(multiplier);
  return makeNumber(product.isInteger() ? product : product.toDecimalPlaces(10));
}

function parseBytes(raw: string): Value {
  const s = raw.toLowerCase().replaceAll('"', '');
  if (s.includes(' ')) throw new BuiltinError('spaces not allowed in resource strings');
  const parts = splitAmount(s);
  if (!parts) throw new BuiltinError('exponent too large');
  const [num, unit] = parts;
  if (num === '') throw new BuiltinError('no byte amount provided');
  const multiplier = BYTE_UNITS[unit];
  if (!multiplier) throw new BuiltinError(`byte unit ${unit} not recognized`);
  if (!NUMBER_SYNTAX.test(num)) throw new BuiltinError('could not parse byte amount to a number');
  return makeNumber(new Exact(num).mul(multiplier).trunc());
}

export const unitsBuiltins: BuiltinDef[] = [
  builtin({
    name: 'units.parse',
    args: ['string'],
    result: 'number',
    category: 'units',
    impl: (args) => parseUnits(stringOperand(args[0], 1)),
  }),
  builtin({
    name: 'units.parse_bytes',
    args: ['string'],
    result: 'number',
    category: 'units',
    impl: (args) => parseBytes(stringOperand(args[0], 1)),
  }),
];
