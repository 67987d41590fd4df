/**
 * RFC 6902 JSON Patch over Rego values, extended as OPA does: paths may be arrays of segments,
 * and sets are addressed by their members. Any failing operation makes the whole patch fail.
 */
import { BuiltinError } from '../errors';
import { equal, isArray, isObject, isSet, ObjectValue, SetValue, type Value } from '../value';

const fail = (why: string): BuiltinError => new BuiltinError(why);

/** A `/`-separated path (leading slashes dropped, `~1`/`~0` unescaped) or an array of segments. */
export function pathSegments(path: Value): Value[] {
  if (isArray(path)) return path;
  if (typeof path !== 'string') throw fail('path must be a string or an array');
  if (path === '') return [];
  return path
    .replace(/^\/+/, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(seg: Value, length: number, allowEnd: boolean): number {
  if (allowEnd && seg === '-') return length;
  let i: number | undefined;
  if (typeof seg === 'number' && Number.isInteger(seg)) i = seg;
  else if (typeof seg === 'string' && /^(0|[1-9]\d*)$/.test(seg)) i = Number(seg);
  if (i === undefined || i < 0 || i > (allowEnd ? length : length - 1)) throw fail(`invalid array index ${String(seg)}`);
  return i;
}

function child(v: Value, seg: Value): Value {
  if (isObject(v)) {
    const c = v.get(seg);
    if (c === undefined) throw fail(`path segment ${JSON.stringify(seg)} does not exist`);
    return c;
  }
  if (isArray(v)) return v[arrayIndex(seg, v.length, false)];
  if (isSet(v) && v.has(seg)) return seg;
  throw fail('path does not exist');
}

export function getAt(doc: Value, path: Value[]): Value {
  return path.reduce<Value>((v, seg) => child(v, seg), doc);
}

/** Rebuilds the document with the container at `path[:-1]` replaced by `edit(container, last)`. */
function editAt(doc: Value, path: Value[], edit: (container: Value, last: Value) => Value): Value {
  if (path.length === 1) return edit(doc, path[0]);
  const [seg, ...rest] = path;
  const inner = editAt(child(doc, seg), rest, edit);
  if (isObject(doc)) return ObjectValue.fromEntries(doc.entries()).set(seg, inner);
  if (isArray(doc)) {
    const copy = [...doc];
    copy[arrayIndex(seg, doc.length, false)] = inner;
    return copy;
  }
  const s = doc as SetValue;
  return SetValue.of(s.values().filter((v) => !equal(v, seg)).concat([inner]));
}

function add(doc: Value, path: Value[], value: Value): Value {
  if (path.length === 0) return value;
  return editAt(doc, path, (c, last) => {
    if (isObject(c)) return ObjectValue.fromEntries(c.entries()).set(last, value);
    if (isArray(c)) {
      const copy = [...c];
      copy.splice(arrayIndex(last, c.length, true), 0, value);
      return copy;
    }
    if (isSet(c)) {
      if (!equal(last, value)) throw fail('set member and value differ');
      return SetValue.of([...c.values(), value]);
    }
    throw fail('cannot add to a scalar');
  });
}

function remove(doc: Value, path: Value[]): Value {
  if (path.length === 0) throw fail('cannot remove the root');
  return editAt(doc, path, (c, last) => {
    if (isObject(c)) {
      if (!c.has(last)) throw fail('path does not exist');
      return ObjectValue.fromEntries(c.entries().filter(([k]) => !equal(k, last)));
    }
    if (isArray(c)) {
      const i = arrayIndex(last, c.length, false);
      return [...c.slice(0, i), ...c.slice(i + 1)];
    }
    if (isSet(c) && c.has(last)) return SetValue.of(c.values().filter((v) => !equal(v, last)));
    throw fail('path does not exist');
  });
}

function field(op: ObjectValue, name: string): Value {
  const v = op.get(name);
  if (v === undefined) throw fail(`missing "${name}" in patch operation`);
  return v;
}

export function applyPatch(doc: Value, ops: Value[]): Value {
  let cur = doc;
  for (const op of ops) {
    if (!isObject(op)) throw fail('patch operations must be objects');
    const path = pathSegments(field(op, 'path'));
    switch (field(op, 'op')) {
      case 'add':
        cur = add(cur, path, field(op, 'value'));
        break;
      case 'remove':
        cur = remove(cur, path);
        break;
      case 'replace':
        getAt(cur, path);
        cur = path.length === 0 ? field(op, 'value') : add(remove(cur, path), path, field(op, 'value'));
        break;
      case 'move': {
        const from = pathSegments(field(op, 'from'));
        const value = getAt(cur, from);
        cur = add(remove(cur, from), path, value);
        break;
      }
      case 'copy':
        cur = add(cur, path, getAt(cur, pathSegments(field(op, 'from'))));
        break;
      case 'test':
        if (!equal(getAt(cur, path), field(op, 'value'))) throw fail('test operation failed');
        break;
      default:
        throw fail('unknown patch operation');
    }
  }
  return cur;
}
