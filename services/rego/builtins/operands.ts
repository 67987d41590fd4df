/**
 * Argument checks shared by the built-in families, with OPA's error wording. `pos` is the
 * 1-based operand number OPA prints in its messages.
 */
import { BuiltinTypeError } from '../errors';
import {
  BigNum,
  decimalOf,
  isArray,
  isNumber,
  isObject,
  isSet,
  makeNumber,
  ObjectValue,
  SetValue,
  typeName,
  type Value,
} from '../value';

/** `operand N must be <one type> | one of {a, b} but got <type>`; types listed in OPA's order. */
export function operandTypeError(pos: number, value: Value, ...expected: string[]): BuiltinTypeError {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`;
  return new BuiltinTypeError(pos, want, typeName(value));
}

export function stringOperand(v: Value, pos: number): string {
  if (typeof v !== 'string') throw operandTypeError(pos, v, 'string');
  return v;
}

export function numberOperand(v: Value, pos: number): number | BigNum {
  if (!isNumber(v)) throw operandTypeError(pos, v, 'number');
  return v;
}

export function booleanOperand(v: Value, pos: number): boolean {
  if (typeof v !== 'boolean') throw operandTypeError(pos, v, 'boolean');
  return v;
}

export function arrayOperand(v: Value, pos: number): Value[] {
  if (!isArray(v)) throw operandTypeError(pos, v, 'array');
  return v;
}

export function objectOperand(v: Value, pos: number): ObjectValue {
  if (!isObject(v)) throw operandTypeError(pos, v, 'object');
  return v;
}

export function setOperand(v: Value, pos: number): SetValue {
  if (!isSet(v)) throw operandTypeError(pos, v, 'set');
  return v;
}

function notAnInteger(pos: number): BuiltinTypeError {
  return new BuiltinTypeError(pos, 'integer number', 'floating-point number');
}

/** An integer operand of any size, as OPA's BigIntOperand. */
export function bigIntOperand(v: Value, pos: number): bigint {
  const n = numberOperand(v, pos);
  if (typeof n === 'number') {
    if (!Number.isInteger(n)) throw notAnInteger(pos);
    return BigInt(n);
  }
  if (!n.d.isInteger()) throw notAnInteger(pos);
  return BigInt(n.d.toFixed(0));
}

/** An integer operand that must fit a JS safe integer (OPA: a Go int). */
export function intOperand(v: Value, pos: number): number {
  const n = numberOperand(v, pos);
  if (typeof n === 'number') {
    if (!Number.isInteger(n)) throw notAnInteger(pos);
    return n;
  }
  if (!n.d.isInteger()) throw notAnInteger(pos);
  return decimalOf(n).toNumber();
}

/** `operand N must be array of numbers but got array containing string`. */
export function elementTypeError(pos: number, container: Value, item: Value, expected: string): BuiltinTypeError {
  const kind = typeName(container);
  return new BuiltinTypeError(pos, `${kind} of ${expected}s`, `${kind} containing ${typeName(item)}`);
}

/** The strings of an array or set operand. */
export function stringsOf(container: Value[] | SetValue, pos: number): string[] {
  const items = isArray(container) ? container : container.values();
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw elementTypeError(pos, container, item, 'string');
    out.push(item);
  }
  return out;
}

/** Elements of an array or a set (sets in OPA's order). */
export function collectionItems(v: Value): Value[] | undefined {
  if (isArray(v)) return v;
  if (isSet(v)) return v.values();
  return undefined;
}

/** The integer a number holds, or undefined for a fraction. */
export function integerOf(n: number | BigNum): bigint | undefined {
  if (typeof n === 'number') return Number.isInteger(n) ? BigInt(n) : undefined;
  return n.d.isInteger() ? BigInt(n.d.toFixed(0)) : undefined;
}

/** Converts a bigint back into a Value number, exact. */
export function numberFromBigInt(i: bigint): number | BigNum {
  const asNumber = Number(i);
  if (Number.isSafeInteger(asNumber)) return asNumber === 0 ? 0 : asNumber;
  // A JS number stands for its shortest text, so it may hold i only if that text is i's digits.
  const text = String(asNumber);
  if (!text.includes('e') && BigInt(text) === i) return asNumber;
  return makeNumber(decimalOf(0).plus(i.toString()));
}
