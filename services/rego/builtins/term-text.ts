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

/** strconv.Quote: Go escapes, printable Unicode kept. */
export function goQuote(s: string, quote = '"'): string {
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch) || (c >= 0xd800 && c <= 0xdfff)) {
      out += c > 0xffff ? '\\U' + c.toString(16).padStart(8, '0') : '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + quote;
}

export function termText(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return goQuote(v);
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

/** As `print` and template strings show a value: a string as itself, anything else as a term; undefined as `<undefined>`. */
export function displayText(v: Value | undefined): string {
  if (v === undefined) return '<undefined>';
  return typeof v === 'string' ? v : termText(v);
}
