/**
 * JSON text with object keys sorted, so equal documents give equal text whatever their key order:
 * the decision cache's key. Values JSON cannot represent are written as `null`, as JSON.stringify does in arrays.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    default:
      return 'null';
  }
}

function canonicalArray(items: readonly unknown[]): string {
  let text = '[';
  for (let i = 0; i < items.length; i++) text += (i === 0 ? '' : ',') + canonicalJson(items[i]);
  return text + ']';
}

function canonicalObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    text += (first ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(member);
    first = false;
  }
  return text + '}';
}
