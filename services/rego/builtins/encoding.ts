/** base64, base64url, hex, urlquery, json.marshal/unmarshal/is_valid and yaml.* built-ins. */
import YAML from 'yaml';
import { BuiltinError, BuiltinTypeError } from '../errors';
import { parseJSONValue } from '../json-value';
import { decodeBase64URLLenient, decodeStdBase64 } from './go-base64';
import { fromJSON, isArray, isObject, isSet, ObjectValue, toJSON, typeName, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';
import { objectOperand, stringOperand } from './operands';
import { numberText } from './term-text';

/**
 * Go strings hold arbitrary bytes; a JS string cannot. Invalid UTF-8 becomes one U+FFFD per bad
 * byte, as Go's range loop and utf8.RuneCount see it (so count() agrees with OPA).
 */
export function goStringOfBytes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need === 0) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      out += String.fromCodePoint(cp);
      i += need + 1;
    } else {
      out += '\ufffd';
      i++;
    }
  }
  return out;
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

function base64Valid(s: string): boolean {
  try {
    decodeStdBase64(s);
    return true;
  } catch {
    return false;
  }
}

function hexDecode(s: string): string {
  const bad = /[^0-9a-fA-F]/.exec(s);
  if (bad) {
    const cp = bad[0].codePointAt(0) as number;
    throw new BuiltinError(`encoding/hex: invalid byte: U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(bad[0]).replace(/^"|"$/g, "'")}`);
  }
  if (s.length % 2 !== 0) throw new BuiltinError('encoding/hex: odd length hex string');
  return goStringOfBytes(Buffer.from(s, 'hex'));
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const byte of utf8(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** url.QueryUnescape. */
export function queryUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new BuiltinError(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === '+') {
      bytes.push(0x20);
    } else {
      bytes.push(...utf8(c));
    }
  }
  return goStringOfBytes(Uint8Array.from(bytes));
}

const ENCODE_OBJECT_VALUES = 'operand 1 values must be string, array[string], or set[string]';

/** url.Values.Encode: keys sorted, each value escaped, repeated keys for arrays and sets. */
function encodeObject([o]: Value[]): Value {
  const obj = objectOperand(o, 1);
  const byKey = new Map<string, string[]>();
  for (const [k, v] of obj.entries()) {
    const key = typeof k === 'string' ? k : toJSONTextKey(k);
    const values = typeof v === 'string' ? [v] : isArray(v) ? v : isSet(v) ? v.values() : undefined;
    if (values === undefined || values.some((x) => typeof x !== 'string')) {
      throw new BuiltinTypeError(0, ENCODE_OBJECT_VALUES, '');
    }
    byKey.set(key, values as string[]);
  }
  const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.flatMap((k) => (byKey.get(k) as string[]).map((v) => queryEscape(k) + '=' + queryEscape(v))).join('&');
}

/** ast.JSON turns a non-string object key into its JSON text. */
function toJSONTextKey(k: Value): string {
  return goJSON(k);
}

/** url.ParseQuery. */
function decodeObject([s]: Value[]): Value {
  const query = stringOperand(s, 1);
  const grouped = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    if (pair.includes(';')) throw new BuiltinError('invalid semicolon separator in query');
    const eq = pair.indexOf('=');
    const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : queryUnescape(pair.slice(eq + 1));
    const list = grouped.get(key) ?? [];
    list.push(value);
    grouped.set(key, list);
  }
  return ObjectValue.fromEntries([...grouped].map(([k, vs]) => [k, vs]));
}

/** A JSON string as Go's encoding/json writes it: HTML-safe, U+2028/2029 escaped. */
function goJSONString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + (c.codePointAt(0) as number).toString(16).padStart(4, '0'));
}

/** json.Marshal of the value OPA converts to Go (sets as sorted arrays, keys sorted, numbers as written). */
export function goJSON(v: Value, indent?: { prefix: string; indent: string }, depth = 0): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return goJSONString(v);
  if (typeof v === 'number') return numberText(v);
  if (!isArray(v) && !isSet(v) && !isObject(v)) return numberText(v);
  const items: string[] = isObject(v)
    ? v.entries().map(([k, x]) => {
        const key = goJSONString(typeof k === 'string' ? k : goJSON(k));
        return key + (indent ? ': ' : ':') + goJSON(x, indent, depth + 1);
      })
    : (isSet(v) ? v.values() : v).map((x) => goJSON(x, indent, depth + 1));
  const [open, close] = isObject(v) ? ['{', '}'] : ['[', ']'];
  if (items.length === 0) return open + close;
  if (!indent) return open + items.join(',') + close;
  const line = (d: number): string => '\n' + indent.prefix + indent.indent.repeat(d);
  return open + line(depth + 1) + items.join(',' + line(depth + 1)) + line(depth) + close;
}

const MARSHAL_OPTIONS = new Set(['pretty', 'prefix', 'indent']);

function marshalWithOptions([x, o]: Value[]): Value {
  const opts = objectOperand(o, 2);
  let pretty: boolean | undefined;
  let prefix = '';
  let indent = '\t';
  for (const [idx, [k, v]] of opts.entries().entries()) {
    if (typeof k !== 'string' || !MARSHAL_OPTIONS.has(k)) {
      throw new BuiltinTypeError(0, `operand 2 object contained unknown key ${typeof k === 'string' ? k : goJSON(k)}`, '');
    }
    if (k === 'pretty') {
      if (typeof v !== 'boolean') throw new BuiltinTypeError(0, `operand 2 key ${k} failed cast to bool`, '');
      pretty = v;
    } else {
      if (typeof v !== 'string') {
        throw new BuiltinTypeError(0, `operand 2 key ${k} failed cast to string: operand ${idx} must be string but got ${typeName(v)}`, '');
      }
      if (k === 'prefix') prefix = v;
      else indent = v;
    }
  }
  const usePretty = pretty ?? (opts.has('prefix') || opts.has('indent'));
  if (!usePretty) return goJSON(x);
  // OPA prefixes the first line too, which json.MarshalIndent does not.
  return prefix + goJSON(x, { prefix, indent });
}

function unmarshalJSON(s: string): Value {
  try {
    return parseJSONValue(s);
  } catch (e) {
    throw new BuiltinError(e instanceof Error ? e.message : String(e));
  }
}

function isValidJSON(v: Value): boolean {
  if (typeof v !== 'string') return false;
  try {
    parseJSONValue(v);
    return true;
  } catch {
    return false;
  }
}

/** go-yaml's wording for the common flow-collection error, so messages stay searchable. */
function yamlError(e: unknown): BuiltinError {
  const err = e as { message?: string; linePos?: { line: number }[] };
  const line = err.linePos?.[0]?.line ?? 1;
  const msg = String(err.message ?? e).split('\n')[0];
  const flow = /Flow (sequence|mapping) must end with a ([\]}])/.exec(msg);
  const text = flow ? `did not find expected ',' or '${flow[2]}'` : msg.replace(/ at line \d+, column \d+:?$/, '');
  return new BuiltinError(`yaml: line ${line}: ${text}`);
}

/** go-yaml reads the first document of a stream; YAML 1.1, so yes/no/on/off are booleans. */
function parseYAML(s: string): Value {
  // Duplicate keys are allowed, the last one winning, as in sigs.k8s.io/yaml's non-strict YAMLToJSON.
  const [first] = YAML.parseAllDocuments(s, { version: '1.1', strict: true, uniqueKeys: false, prettyErrors: true });
  if (first === undefined) return null;
  if (first.errors.length > 0) throw yamlError(first.errors[0]);
  let doc: unknown;
  try {
    doc = first.toJS();
  } catch (e) {
    throw yamlError(e);
  }
  return fromJSON(JSON.parse(JSON.stringify(doc ?? null)) as unknown);
}

function marshalYAML(x: Value): string {
  return YAML.stringify(toJSON(x), { version: '1.1', indentSeq: false, lineWidth: 0 });
}

const S2S = { args: ['string'], result: 'string' } as const;

function stringFn(name: string, category: string, f: (s: string) => Value): BuiltinDef {
  return builtin({ name, category, args: [...S2S.args], result: S2S.result, impl: ([s]) => f(stringOperand(s, 1)) });
}

export const encodingBuiltins: BuiltinDef[] = [
  stringFn('base64.encode', 'encoding', (s) => utf8(s).toString('base64')),
  stringFn('base64.decode', 'encoding', (s) => goStringOfBytes(decodeStdBase64(s))),
  builtin({
    name: 'base64.is_valid',
    category: 'encoding',
    args: ['string'],
    result: 'boolean',
    impl: ([s]) => base64Valid(stringOperand(s, 1)),
  }),
  stringFn('base64url.encode', 'encoding', (s) => utf8(s).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')),
  stringFn('base64url.encode_no_pad', 'encoding', (s) => utf8(s).toString('base64url')),
  stringFn('base64url.decode', 'encoding', (s) => goStringOfBytes(decodeBase64URLLenient(s))),
  stringFn('hex.encode', 'encoding', (s) => utf8(s).toString('hex')),
  stringFn('hex.decode', 'encoding', hexDecode),
  stringFn('urlquery.encode', 'encoding', queryEscape),
  stringFn('urlquery.decode', 'encoding', queryUnescape),
  builtin({
    name: 'urlquery.encode_object',
    category: 'encoding',
    args: [{ object: ['string', { anyOf: ['string', { array: 'string' }, { set: 'string' }] }] }],
    result: 'string',
    impl: encodeObject,
  }),
  builtin({
    name: 'urlquery.decode_object',
    category: 'encoding',
    args: ['string'],
    result: { object: ['string', { array: 'string' }] },
    impl: decodeObject,
  }),
  builtin({ name: 'json.marshal', category: 'encoding', args: ['any'], result: 'string', impl: ([x]) => goJSON(x) }),
  builtin({
    name: 'json.marshal_with_options',
    category: 'encoding',
    args: ['any', { object: ['string', 'any'] }],
    result: 'string',
    impl: marshalWithOptions,
  }),
  builtin({
    name: 'json.unmarshal',
    category: 'encoding',
    args: ['string'],
    result: 'any',
    impl: ([s]) => unmarshalJSON(stringOperand(s, 1)),
  }),
  builtin({ name: 'json.is_valid', category: 'encoding', args: ['string'], result: 'boolean', impl: ([s]) => isValidJSON(s) }),
  builtin({ name: 'yaml.marshal', category: 'encoding', args: ['any'], result: 'string', impl: ([x]) => marshalYAML(x) }),
  builtin({
    name: 'yaml.unmarshal',
    category: 'encoding',
    args: ['string'],
    result: 'any',
    impl: ([s]) => parseYAML(stringOperand(s, 1)),
  }),
  builtin({
    name: 'yaml.is_valid',
    category: 'encoding',
    args: ['string'],
    result: 'boolean',
    impl: ([s]) => {
      if (typeof s !== 'string') return false;
      try {
        parseYAML(s);
        return true;
      } catch {
        return false;
      }
    },
  }),
];
