/** Indexing into values (`x[k]`) and iterating over their elements, as Rego refs do. */
import { ObjectValue, SetValue, type Value } from '../value';

export function deref(v: Value, key: Value): Value | undefined {
  if (v instanceof ObjectValue) return v.get(key);
  if (Array.isArray(v)) {
    return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < v.length ? v[key] : undefined;
  }
  if (v instanceof SetValue) return v.has(key) ? key : undefined;
  return undefined;
}

/** Calls `k(key, value)` for each element in Rego's order; stops when `k` returns true. */
export function forEachElement(v: Value, k: (key: Value, value: Value) => boolean): boolean {
  if (v instanceof ObjectValue) {
    for (const [key, val] of v.entries()) if (k(key, val)) return true;
    return false;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (k(i, v[i])) return true;
    return false;
  }
  if (v instanceof SetValue) {
    for (const x of v.values()) if (k(x, x)) return true;
  }
  return false;
}

/** True for the collection types a ref can iterate. */
export function isCollection(v: Value): boolean {
  return v instanceof ObjectValue || Array.isArray(v) || v instanceof SetValue;
}
