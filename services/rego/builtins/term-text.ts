/**
 * Values as Rego source text, the way OPA prints terms (sprintf's composite arguments, template
 * strings, print): `[1, "a"]`, `{"k": v}`, `{1, 2}`, `set()`.
 */
import { BigNum, isArray, isObject, type Value } from '../value';

/**
 * A number's text: JS numbers in their shortest form, big numbers in full unless they are mostly
 * trailing zeros (as a literal like 2e308 is written), where OPA keeps the exponent form.
 */
export function numberText(n: number | BigNum): string {
  if (typeof n === 'number') return String(n).replace('e+', 'e');
  const fixed = n.toString();
  if (n.d.isInteger() && n.d.sd(false) + 5 < fixed.replace('-', '').length) {
    return n.d.toExponential().replace('e+', 'e');
  }
  return fixed;
}

export function termText(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return String(v);
    case 'number':
      return numberText(v);
  }
  if (v instanceof BigNum) return numberText(v);
  if (isArray(v)) return '[' + v.map(termText).join(', ') + ']';
  if (isObject(v)) return '{' + v.entries().map(([k, x]) => termText(k) + ': ' + termText(x)).join(', ') + '}';
  const items = v.values();
  return items.length === 0 ? 'set()' : '{' + items.map(termText).join(', ') + '}';
}
