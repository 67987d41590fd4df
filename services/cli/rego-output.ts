/**
 * How the Rego commands render values and errors: OPA's JSON shapes, exact numbers, sets as
 * sorted arrays, non-string object keys as their JSON text.
 */
import { RegoError, RegoErrors } from '../rego/errors';
import { LoaderError } from '../rego/loader';
import { BigNum, ObjectValue, SetValue, toJSONText, type Value } from '../rego/value';

function isValueObject(x: unknown): x is ObjectValue | SetValue | BigNum {
  return x instanceof ObjectValue || x instanceof SetValue || x instanceof BigNum;
}

/** JSON text of plain JS data that may hold Values; `indent` '' writes it on one line. */
export function formatJSON(x: unknown, indent = '  ', depth = 0): string {
  if (x === undefined) return 'null';
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'null';
  if (x instanceof BigNum) return x.toString();
  const pad = indent === '' ? '' : '\n' + indent.repeat(depth + 1);
  const end = indent === '' ? '' : '\n' + indent.repeat(depth);
  const sep = indent === '' ? ':' : ': ';
  let items: string[];
  let open: string;
  let close: string;
  if (Array.isArray(x) || x instanceof SetValue) {
    const list: unknown[] = x instanceof SetValue ? x.values() : x;
    items = list.map((v) => formatJSON(v, indent, depth + 1));
    [open, close] = ['[', ']'];
  } else {
    const entries: [string, unknown][] =
      x instanceof ObjectValue
        ? x.entries().map(([k, v]) => [typeof k === 'string' ? k : toJSONText(k), v])
        : Object.entries(x as Record<string, unknown>).filter(([, v]) => v !== undefined);
    items = entries.map(([k, v]) => `${JSON.stringify(k)}${sep}${formatJSON(v, indent, depth + 1)}`);
    [open, close] = ['{', '}'];
  }
  if (items.length === 0) return open + close;
  return open + pad + items.join(',' + pad) + end + close;
}

export function formatValue(v: Value, indent = '  '): string {
  return isValueObject(v) || Array.isArray(v) ? formatJSON(v, indent) : toJSONText(v);
}

interface ErrorEntry {
  message: string;
  code?: string;
  location?: { file: string; row: number; col: number };
}

function errorEntries(e: unknown): ErrorEntry[] {
  const list = e instanceof RegoErrors ? e.errors : e instanceof RegoError ? [e] : null;
  if (list) {
    return list.map((err) => ({ message: err.message, code: err.code, ...(err.location ? { location: err.location } : {}) }));
  }
  return [{ message: e instanceof Error ? e.message : String(e) }];
}

/** `{"errors": [{"message", "code", "location"}]}` as `opa eval -f json` prints them. */
export function errorsJSON(e: unknown): string {
  return formatJSON({ errors: errorEntries(e) }) + '\n';
}

/** OPA's text form: `N error(s) occurred:` then `file:row: code: message` lines. */
export function errorsText(e: unknown): string {
  if (e instanceof LoaderError) return `error: ${e.message}\n`;
  const entries = errorEntries(e);
  const lines = entries.map((x) => `${x.location ? `${x.location.file}:${x.location.row}: ` : ''}${x.code ? `${x.code}: ` : ''}${x.message}`);
  if (lines.length === 1) return lines[0] + '\n';
  return `${lines.length} errors occurred:\n${lines.join('\n')}\n`;
}

/** True for failures of the user's inputs (policy, data, query), as opposed to bugs. */
export function isUserError(e: unknown): boolean {
  return e instanceof RegoErrors || e instanceof RegoError || e instanceof LoaderError;
}
