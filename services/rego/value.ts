/**
 * Rego values: the type everything else in the engine depends on; it depends on nothing.
 *
 * Representation (chosen so that JSON input converts cheaply and hot paths stay monomorphic):
 *   null, boolean, string                → the JS primitive
 *   number                               → a JS number when exact (finite double), else a BigNum
 *   array                                → a plain, frozen-by-convention JS array of Values
 *   object                               → ObjectValue (any value may be a key)
 *   set                                  → SetValue
 * Values are immutable once built: builders (`set`, `add`) are only called while constructing.
 */
import Decimal from 'decimal.js';

export type Value = null | boolean | number | BigNum | string | Value[] | ObjectValue | SetValue;

/** Arbitrary-precision decimal for numbers a double cannot hold exactly (OPA keeps them exact). */
export class BigNum {
  constructor(readonly d: Decimal) {}
  toString(): string {
    return formatDecimal(this.d);
  }
}

// High enough that integer arithmetic on big literals stays exact, as Go's big.Int does.
const Dec = Decimal.clone({ precision: 1000, toExpNeg: -1000, toExpPos: 1000 });

export function decimalOf(n: number | BigNum): Decimal {
  return typeof n === 'number' ? new Dec(n) : n.d;
}

/** Builds a number value, keeping the invariant: a BigNum never holds what a JS number holds exactly. */
export function makeNumber(d: Decimal): number | BigNum {
  const asNumber = d.toNumber();
  if (Number.isFinite(asNumber) && new Dec(asNumber).eq(d)) return asNumber === 0 ? 0 : asNumber;
  return new BigNum(d);
}

/** Parses a JSON/Rego number literal exactly. */
export function parseNumber(text: string): number | BigNum {
  const n = Number(text);
  // Only an integer written plainly: "1.0000000000000000001" rounds to 1 but is not 1.
  if (Number.isSafeInteger(n) && String(n) === text) return n;
  return makeNumber(new Dec(text));
}

function formatDecimal(d: Decimal): string {
  return d.isInteger() ? d.toFixed(0) : d.toString();
}

export function isNumber(v: Value): v is number | BigNum {
  return typeof v === 'number' || v instanceof BigNum;
}

export function isObject(v: Value): v is ObjectValue {
  return v instanceof ObjectValue;
}

export function isSet(v: Value): v is SetValue {
  return v instanceof SetValue;
}

export function isArray(v: Value): v is Value[] {
  return Array.isArray(v);
}

/**
 * Hash key for Map lookups: equal values get the same key, different values different keys.
 * Primitives map to themselves (Map already separates "1", 1, true, null); strings beginning with
 * NUL are escaped so they can never collide with the NUL-prefixed keys of composite values.
 */
export type Key = string | number | boolean | null;

export function keyOf(v: Value): Key {
  switch (typeof v) {
    case 'string':
      return v.length > 0 && v.charCodeAt(0) === 0 ? '\u0000s' + v : v;
    case 'number':
    case 'boolean':
      return v;
    default:
      if (v === null) return null;
      if (v instanceof BigNum) return '\u0000n' + v.toString();
      return '\u0000c' + canonical(v);
  }
}

/** A deterministic, type-tagged text of a value (equal values → equal text). */
export function canonical(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
    case 'boolean':
      return String(v);
  }
  if (v instanceof BigNum) return v.toString();
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v instanceof ObjectValue) return v.canonicalText();
  return (v as SetValue).canonicalText();
}

export class ObjectValue {
  /** String keys (the overwhelmingly common case) live here, looked up without hashing. */
  private readonly strs = new Map<string, Value>();
  /** Other keys, by keyOf, with the original key kept for iteration. */
  private others: Map<Key, [Value, Value]> | null = null;
  private sorted: [Value, Value][] | null = null;
  private canon: string | null = null;

  static fromEntries(entries: Iterable<readonly [Value, Value]>): ObjectValue {
    const o = new ObjectValue();
    for (const [k, v] of entries) o.set(k, v);
    return o;
  }

  get size(): number {
    return this.strs.size + (this.others ? this.others.size : 0);
  }

  get(key: Value): Value | undefined {
    if (typeof key === 'string') return this.strs.get(key);
    return this.others?.get(keyOf(key))?.[1];
  }

  has(key: Value): boolean {
    return this.get(key) !== undefined;
  }

  /** Construction only: objects are immutable once handed out. */
  set(key: Value, value: Value): this {
    if (typeof key === 'string') {
      this.strs.set(key, value);
    } else {
      if (!this.others) this.others = new Map();
      this.others.set(keyOf(key), [key, value]);
    }
    this.sorted = null;
    this.canon = null;
    return this;
  }

  /** Entries in OPA's key order (Rego iterates objects sorted by key). */
  entries(): [Value, Value][] {
    if (!this.sorted) {
      const all: [Value, Value][] = [];
      for (const [k, v] of this.strs) all.push([k, v]);
      if (this.others) for (const e of this.others.values()) all.push(e);
      all.sort((a, b) => compare(a[0], b[0]));
      this.sorted = all;
    }
    return this.sorted;
  }

  keys(): Value[] {
    return this.entries().map((e) => e[0]);
  }

  /** Fast path for the common all-string-keys case; order is insertion order. */
  stringEntries(): IterableIterator<[string, Value]> {
    return this.strs.entries();
  }

  hasOnlyStringKeys(): boolean {
    return this.others === null || this.others.size === 0;
  }

  canonicalText(): string {
    if (this.canon === null) {
      this.canon = '{' + this.entries().map(([k, v]) => canonical(k) + ':' + canonical(v)).join(',') + '}';
    }
    return this.canon;
  }
}

export class SetValue {
  private readonly items = new Map<Key, Value>();
  private sorted: Value[] | null = null;
  private canon: string | null = null;

  static of(values: Iterable<Value>): SetValue {
    const s = new SetValue();
    for (const v of values) s.add(v);
    return s;
  }

  get size(): number {
    return this.items.size;
  }

  has(v: Value): boolean {
    return this.items.has(keyOf(v));
  }

  /** Construction only: sets are immutable once handed out. */
  add(v: Value): this {
    const k = keyOf(v);
    if (!this.items.has(k)) {
      this.items.set(k, v);
      this.sorted = null;
      this.canon = null;
    }
    return this;
  }

  /** Elements in OPA's order. */
  values(): Value[] {
    if (!this.sorted) this.sorted = [...this.items.values()].sort(compare);
    return this.sorted;
  }

  canonicalText(): string {
    if (this.canon === null) this.canon = '<' + this.values().map(canonical).join(',') + '>';
    return this.canon;
  }
}

/** OPA's sort order of types: null < boolean < number < string < array < object < set. */
function typeRank(v: Value): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    case 'string':
      return 3;
  }
  if (v instanceof BigNum) return 2;
  if (Array.isArray(v)) return 6;
  if (v instanceof ObjectValue) return 7;
  return 8;
}

/** Go compares strings by UTF-8 bytes, which is code-point order, not UTF-16 unit order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : 1;
}

export function compareNumbers(a: number | BigNum, b: number | BigNum): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return decimalOf(a).comparedTo(decimalOf(b));
}

/** OPA's total order over values. */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumbers(a as number | BigNum, b as number | BigNum);
    case 3:
      return compareStrings(a as string, b as string);
    case 6:
      return compareSequences(a as Value[], b as Value[]);
    case 7:
      return compareObjects(a as ObjectValue, b as ObjectValue);
    default:
      return compareSequences((a as SetValue).values(), (b as SetValue).values());
  }
}

function compareSequences(a: Value[], b: Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareObjects(a: ObjectValue, b: ObjectValue): number {
  const ea = a.entries();
  const eb = b.entries();
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    const ck = compare(ea[i][0], eb[i][0]);
    if (ck !== 0) return ck;
    const cv = compare(ea[i][1], eb[i][1]);
    if (cv !== 0) return cv;
  }
  return ea.length === eb.length ? 0 : ea.length < eb.length ? -1 : 1;
}

/** Structural equality; cheaper than compare for the common primitive cases. */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof ObjectValue) {
    if (!(b instanceof ObjectValue) || a.size !== b.size) return false;
    for (const [k, v] of a.entries()) {
      const w = b.get(k);
      if (w === undefined || !equal(v, w)) return false;
    }
    return true;
  }
  if (a instanceof SetValue) {
    if (!(b instanceof SetValue) || a.size !== b.size) return false;
    for (const v of a.values()) if (!b.has(v)) return false;
    return true;
  }
  return a instanceof BigNum && b instanceof BigNum && a.d.eq(b.d);
}

/** Converts parsed JSON (or YAML) into a Value. Non-JSON inputs are a programming error. */
export function fromJSON(x: unknown): Value {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new TypeError(`not a JSON number: ${x}`);
    return x;
  }
  if (Array.isArray(x)) return x.map(fromJSON);
  if (typeof x === 'object') {
    if (x instanceof ObjectValue || x instanceof SetValue || x instanceof BigNum) return x;
    const o = new ObjectValue();
    for (const k of Object.keys(x)) {
      const v = (x as Record<string, unknown>)[k];
      if (v !== undefined) o.set(k, fromJSON(v));
    }
    return o;
  }
  throw new TypeError(`not a JSON value: ${typeof x}`);
}

/**
 * Converts a Value to plain JSON the way OPA serialises results: sets become arrays in sorted
 * order, non-string object keys become their JSON text, big numbers become JS numbers (use
 * `toJSONText` where exact digits must survive).
 */
export function toJSON(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof BigNum) return v.d.toNumber();
  if (Array.isArray(v)) return v.map(toJSON);
  if (v instanceof SetValue) return v.values().map(toJSON);
  const out: Record<string, unknown> = {};
  for (const [k, val] of (v as ObjectValue).entries()) {
    out[typeof k === 'string' ? k : toJSONText(k)] = toJSON(val);
  }
  return out;
}

/** JSON text with exact numbers and OPA's key order. */
export function toJSONText(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return String(v);
    case 'number':
      return JSON.stringify(v);
  }
  if (v instanceof BigNum) return v.toString();
  if (Array.isArray(v)) return '[' + v.map(toJSONText).join(',') + ']';
  if (v instanceof SetValue) return '[' + v.values().map(toJSONText).join(',') + ']';
  const parts = (v as ObjectValue)
    .entries()
    .map(([k, val]) => JSON.stringify(typeof k === 'string' ? k : toJSONText(k)) + ':' + toJSONText(val));
  return '{' + parts.join(',') + '}';
}

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set';

/** The names OPA's `type_name` and error messages use. */
export function typeName(v: Value): TypeName {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  if (v instanceof BigNum) return 'number';
  if (Array.isArray(v)) return 'array';
  if (v instanceof ObjectValue) return 'object';
  return 'set';
}

export const EMPTY_OBJECT: ObjectValue = new ObjectValue();
export const EMPTY_SET: SetValue = new SetValue();
