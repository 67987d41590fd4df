/** Values as OPA prints them (`print`, template strings): Rego term syntax, strings raw at top level. */
import type { Value } from '../value';
import { termText } from '../builtins/term-text';

/** A string as itself, anything else as a term; undefined as `<undefined>`. */
export function displayText(v: Value | undefined): string {
  if (v === undefined) return '<undefined>';
  return typeof v === 'string' ? v : termText(v);
}
