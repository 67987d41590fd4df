/**
 * Comparison operators evaluated inline (no argument array, no table lookup) when the built-in
 * table holds the standard definitions: they are the most frequent calls in policies.
 */
import { BUILTINS } from '../builtins';
import type { BuiltinDef } from '../builtins/registry';
import { compare, equal, type Value } from '../value';

const INLINE: ReadonlyMap<string, (a: Value, b: Value) => boolean> = new Map([
  ['equal', (a: Value, b: Value) => equal(a, b)],
  ['neq', (a: Value, b: Value) => !equal(a, b)],
  ['lt', (a: Value, b: Value) => compare(a, b) < 0],
  ['lte', (a: Value, b: Value) => compare(a, b) <= 0],
  ['gt', (a: Value, b: Value) => compare(a, b) > 0],
  ['gte', (a: Value, b: Value) => compare(a, b) >= 0],
]);

/** The inline test for `def`, or null when it is not a standard comparison. */
export function inlineComparison(def: BuiltinDef | undefined): ((a: Value, b: Value) => boolean) | null {
  if (!def || BUILTINS.get(def.name) !== def) return null;
  return INLINE.get(def.name) ?? null;
}
