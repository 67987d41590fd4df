/** json.filter, json.remove, json.patch, json.match_schema, json.verify_schema. */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { BuiltinError, BuiltinTypeError } from '../errors';
import { parseJSONValue } from '../json-value';
import {
  fromJSON,
  isArray,
  isObject,
  isSet,
  ObjectValue,
  SetValue,
  toJSON,
  typeName,
  type Key,
  keyOf,
  type Value,
} from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { arrayOperand, objectOperand, operandTypeError } from './operands';
import { applyPatch, pathSegments } from './json-patch';
import { BoundedCache } from './bounded-cache';

// ------------------------------------------------------------------------- filter and remove

/** A trie of paths; `end` marks a node where a listed path stops. */
interface PathTrie {
  end: boolean;
  children: Map<Key, [Value, PathTrie]>;
}

function pathTrie(paths: Value): PathTrie {
  if (!isArray(paths) && !isSet(paths)) throw operandTypeError(2, paths, 'set', 'array');
  const root: PathTrie = { end: false, children: new Map() };
  for (const p of isSet(paths) ? paths.values() : paths) {
    if (typeof p !== 'string' && !isArray(p)) {
      throw new BuiltinTypeError(
        2,
        'one of {set, array} containing string paths or array of path segments',
        typeName(p),
      );
    }
    const segments = pathSegments(p);
    // OPA skips empty paths rather than selecting the whole document.
    if (segments.length === 0) continue;
    let node = root;
    for (const seg of segments) {
      const k = keyOf(seg);
      let next = node.children.get(k);
      if (!next) {
        next = [seg, { end: false, children: new Map() }];
        node.children.set(k, next);
      }
      node = next[1];
    }
    node.end = true;
  }
  return root;
}

/** Array elements are addressed by their index's decimal text, as OPA's filter objects do. */
function childAt(trie: PathTrie, key: Value): PathTrie | undefined {
  return trie.children.get(keyOf(key))?.[1];
}

/** ast.Object.Filter: scalars under a path are kept whole, collections keep only listed members. */
function filterValue(v: Value, trie: PathTrie): Value {
  if (trie.end) return v;
  if (isObject(v)) {
    const out = new ObjectValue();
    for (const [k, x] of v.entries()) {
      const c = childAt(trie, k);
      if (c) out.set(k, filterValue(x, c));
    }
    return out;
  }
  if (isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const c = childAt(trie, String(i));
      if (c) out.push(filterValue(x, c));
    });
    return out;
  }
  if (isSet(v)) {
    return SetValue.of(v.values().flatMap((x) => {
      const c = childAt(trie, x);
      return c ? [filterValue(x, c)] : [];
    }));
  }
  return v;
}

/** Drops what a listed path ends at; arrays close up over removed elements. */
function removeValue(v: Value, trie: PathTrie): Value | undefined {
  if (trie.end) return undefined;
  const keep = (x: Value, c: PathTrie | undefined): Value | undefined => (c ? removeValue(x, c) : x);
  if (isObject(v)) {
    const out = new ObjectValue();
    for (const [k, x] of v.entries()) {
      const kept = keep(x, childAt(trie, k));
      if (kept !== undefined) out.set(k, kept);
    }
    return out;
  }
  if (isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const kept = keep(x, childAt(trie, String(i)));
      if (kept !== undefined) out.push(kept);
    });
    return out;
  }
  if (isSet(v)) {
    return SetValue.of(v.values().flatMap((x) => {
      const kept = keep(x, childAt(trie, x));
      return kept === undefined ? [] : [kept];
    }));
  }
  return v;
}

// ----------------------------------------------------------------------------- JSON Schema

const PRIMITIVE_TYPES = ['array', 'boolean', 'integer', 'number', 'null', 'object', 'string'];

/** gojsonschema's check for `type` values, with its wording (ajv would only say "must be equal to…"). */
function checkTypes(schema: unknown): void {
  if (Array.isArray(schema)) {
    schema.forEach(checkTypes);
    return;
  }
  if (schema === null || typeof schema !== 'object') return;
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type') {
      for (const t of Array.isArray(v) ? v : [v]) {
        if (typeof t === 'string' && !PRIMITIVE_TYPES.includes(t)) {
          throw new BuiltinError(
            `has a primitive type that is NOT VALID -- given: /${t}/ Expected valid values are:[${PRIMITIVE_TYPES.join(' ')}]`,
          );
        }
      }
    } else if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') {
      checkTypes(v);
    }
  }
}

/** Compiled validators, by schema text; each compile gets its own Ajv so nothing else accumulates. */
const VALIDATORS = new BoundedCache<string, ValidateFunction | BuiltinError>(100);

/** A document or schema: JSON text, or an object or array value (OPA's loader rules and wording). */
function jsonDocument(v: Value): unknown {
  if (typeof v === 'string') {
    try {
      return toJSON(parseJSONValue(v));
    } catch {
      throw new BuiltinError('invalid JSON string');
    }
  }
  if (isObject(v) || isArray(v)) return toJSON(v);
  throw new BuiltinError('wrong type, expected string or object');
}

function compileSchema(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  const compiled = VALIDATORS.getOrCompute(key, () => {
    try {
      checkTypes(schema);
      const copy = JSON.parse(key) as Record<string, unknown>;
      if (copy && typeof copy === 'object' && typeof copy.$schema === 'string' && !copy.$schema.includes('draft-07')) {
        delete copy.$schema;
      }
      return new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(copy);
    } catch (e) {
      return e instanceof BuiltinError ? e : new BuiltinError(e instanceof Error ? e.message : String(e));
    }
  });
  if (compiled instanceof BuiltinError) throw compiled;
  return compiled;
}

function jsonTypeOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'number') return Number.isInteger(x) ? 'integer' : 'number';
  return typeof x;
}

function fieldOf(instancePath: string): string {
  if (instancePath === '') return '(root)';
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function valueAt(doc: unknown, instancePath: string): unknown {
  if (instancePath === '') return doc;
  let cur = doc;
  for (const seg of instancePath.slice(1).split('/')) {
    cur = (cur as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** gojsonschema's result shape and wording for the common keywords. */
function describe(e: ErrorObject, doc: unknown): { type: string; desc: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return {
        type: 'invalid_type',
        desc: `Invalid type. Expected: ${String(p.type).split(',').join(' or ')}, given: ${jsonTypeOf(valueAt(doc, e.instancePath))}`,
      };
    case 'required':
      return { type: 'required', desc: `${String(p.missingProperty)} is required` };
    case 'enum':
      return {
        type: 'enum',
        desc: `${fieldOf(e.instancePath)} must be one of the following: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { type: 'const', desc: `${fieldOf(e.instancePath)} does not match: ${JSON.stringify(p.allowedValue)}` };
    case 'additionalProperties':
      return {
        type: 'additional_property_not_allowed',
        desc: `Additional property ${String(p.additionalProperty)} is not allowed`,
      };
    case 'minLength':
      return { type: 'string_gte', desc: `String length must be greater than or equal to ${String(p.limit)}` };
    case 'maxLength':
      return { type: 'string_lte', desc: `String length must be less than or equal to ${String(p.limit)}` };
    case 'pattern':
      return { type: 'pattern', desc: `Does not match pattern '${String(p.pattern)}'` };
    case 'minItems':
      return { type: 'array_min_items', desc: `Array must have at least ${String(p.limit)} items` };
    case 'maxItems':
      return { type: 'array_max_items', desc: `Array must have at most ${String(p.limit)} items` };
    case 'minimum':
      return { type: 'number_gte', desc: `Must be greater than or equal to ${String(p.limit)}` };
    case 'maximum':
      return { type: 'number_lte', desc: `Must be less than or equal to ${String(p.limit)}` };
    case 'exclusiveMinimum':
      return { type: 'number_gt', desc: `Must be greater than ${String(p.limit)}` };
    case 'exclusiveMaximum':
      return { type: 'number_lt', desc: `Must be less than ${String(p.limit)}` };
    default:
      return { type: e.keyword, desc: e.message ?? e.keyword };
  }
}

function matchSchema([d, s]: Value[]): Value {
  const doc = jsonDocument(d);
  const validate = compileSchema(jsonDocument(s));
  if (validate(doc)) return [true, []];
  const errors = (validate.errors ?? []).map((e) => {
    const field = fieldOf(e.instancePath);
    const { type, desc } = describe(e, doc);
    return fromJSON({ error: `${field}: ${desc}`, type, field, desc });
  });
  return [false, errors];
}

function verifySchema([s]: Value[]): Value {
  try {
    compileSchema(jsonDocument(s));
    return [true, null];
  } catch (e) {
    return [false, `jsonschema: ${e instanceof Error ? e.message : String(e)}`];
  }
}

const PATHS: TypeSpec = {
  anyOf: [
    { array: { anyOf: ['string', { array: 'any' }] } },
    { set: { anyOf: ['string', { array: 'any' }] } },
  ],
};
const SCHEMA: TypeSpec = { anyOf: ['string', { object: ['any', 'any'] }] };
const SCHEMA_ERROR: TypeSpec = { object: ['string', 'any'] };

export const jsonBuiltins: BuiltinDef[] = [
  builtin({
    name: 'json.filter',
    category: 'object',
    args: [{ object: ['any', 'any'] }, PATHS],
    result: { object: ['any', 'any'] },
    impl: ([o, paths]) => filterValue(objectOperand(o, 1), pathTrie(paths)),
  }),
  builtin({
    name: 'json.remove',
    category: 'object',
    args: [{ object: ['any', 'any'] }, PATHS],
    result: { object: ['any', 'any'] },
    impl: ([o, paths]) => removeValue(objectOperand(o, 1), pathTrie(paths)) ?? new ObjectValue(),
  }),
  builtin({
    name: 'json.patch',
    category: 'object',
    args: ['any', { array: { object: ['any', 'any'] } }],
    result: 'any',
    impl: ([doc, ops]) => {
      const operations = arrayOperand(ops, 2);
      // OPA makes a failing patch undefined, never an error, even with strict built-in errors.
      try {
        return applyPatch(doc, operations);
      } catch (e) {
        if (e instanceof BuiltinError) return undefined;
        throw e;
      }
    },
  }),
  builtin({
    name: 'json.match_schema',
    category: 'object',
    args: [SCHEMA, SCHEMA],
    result: { tuple: ['boolean', { array: SCHEMA_ERROR }] },
    impl: matchSchema,
  }),
  builtin({
    name: 'json.verify_schema',
    category: 'object',
    args: [SCHEMA],
    result: { tuple: ['boolean', { anyOf: ['null', 'string'] }] },
    impl: verifySchema,
  }),
];
