/** Values as OPA prints them (`print`, template strings): Rego term syntax, strings raw at top level. */
import { BigNum, ObjectValue, SetValue, type Value } from '../value';

export function termText(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
    case 'boolean':
      return String(v);
  }
  if (v instanceof BigNum) return v.toString();
  if (Array.isArray(v)) return '[' + v.map(termText).join(', ') + ']';
  if (v instanceof SetValue) return v.size === 0 ? 'set()' : '{' + v.values().map(termText).join(', ') + '}';
  return '{' + (v as ObjectValue).entries().map(([k, x]) => `${termText(k)}: ${termText(x)}`).join(', ') + '}';
}

/** A string as itself, anything else as a term; undefined as `<undefined>`. */
export function displayText(v: Value | undefined): string {
  if (v === undefined) return '<undefined>';
  return typeof v === 'string' ? v : termText(v);
}
