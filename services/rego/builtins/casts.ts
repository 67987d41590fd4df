/** to_number, and v0's deprecated cast_* functions. */
import { BuiltinError, BuiltinTypeError } from '../errors';
import { isArray, isNumber, isObject, isSet, parseNumber, SetValue, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { operandTypeError } from './operands';

/** Decimal floats as Go's strconv.ParseFloat accepts them (OPA rejects inf and NaN). */
const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/;

const NOT_A_NUMBER = new Set(['inf', 'infinity', 'nan']);

function parseGoFloat(text: string): Value {
  if (NOT_A_NUMBER.has(text.replace(/^[+-]+/, '').toLowerCase())) {
    throw new BuiltinTypeError(1, 'valid number string', 'string');
  }
  if (DECIMAL_FLOAT.test(text)) {
    const n = parseNumber(text.startsWith('+') ? text.slice(1) : text);
    if (typeof n === 'number' || Number.isFinite(Number(text))) return n;
    throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: value out of range`);
  }
  const hex = HEX_FLOAT.exec(text);
  if (hex && (hex[2] || hex[3]) && hex[4] !== undefined) return hexFloat(hex);
  throw new BuiltinError(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
}

function hexFloat([, sign, whole, frac, exp]: RegExpExecArray): number {
  const mantissa = parseInt(whole + frac || '0', 16) / 16 ** frac.length;
  const value = mantissa * 2 ** Number(exp ?? 0);
  return sign === '-' ? -value : value;
}

function toNumber([v]: Value[]): Value {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isNumber(v)) return v;
  if (typeof v === 'string') return parseGoFloat(v);
  throw operandTypeError(1, v, 'null', 'boolean', 'number', 'string');
}

function cast(name: string, result: BuiltinDef['result'], expected: string[], convert: (v: Value) => Value | undefined): BuiltinDef {
  return builtin({
    name,
    category: 'casts',
    args: ['any'],
    result,
    deprecated: true,
    impl: ([v]) => {
      const out = convert(v);
      if (out === undefined) throw operandTypeError(1, v, ...expected);
      return out;
    },
  });
}

export const castsBuiltins: BuiltinDef[] = [
  builtin({
    name: 'to_number',
    category: 'casts',
    args: [{ anyOf: ['null', 'boolean', 'number', 'string'] }],
    result: 'number',
    impl: toNumber,
  }),
  cast('cast_array', { array: 'any' }, ['array', 'set'], (v) => (isArray(v) ? v : isSet(v) ? [...v.values()] : undefined)),
  cast('cast_set', { set: 'any' }, ['array', 'set'], (v) => (isSet(v) ? v : isArray(v) ? SetValue.of(v) : undefined)),
  cast('cast_string', 'string', ['string'], (v) => (typeof v === 'string' ? v : undefined)),
  cast('cast_boolean', 'boolean', ['boolean'], (v) => (typeof v === 'boolean' ? v : undefined)),
  cast('cast_null', 'null', ['null'], (v) => (v === null ? v : undefined)),
  cast('cast_object', { object: ['any', 'any'] }, ['object'], (v) => (isObject(v) ? v : undefined)),
];
