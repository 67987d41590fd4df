/** Calls a built-in implementation directly, with plain JSON in and out, for the family tests. */
import { BUILTINS } from '../../builtins';
import { DEFAULT_CAPABILITIES, type BuiltinContext } from '../../builtins/registry';
import { fromJSON, SetValue, BigNum, ObjectValue, toJSONText, type Value } from '../../value';

const ctx: BuiltinContext = {
  strict: true,
  nowNs: 0n,
  queryCache: new Map(),
  env: {},
  print: () => undefined,
  capabilities: DEFAULT_CAPABILITIES,
};

function toValue(x: unknown): Value {
  if (x instanceof SetValue || x instanceof BigNum || x instanceof ObjectValue) return x;
  if (Array.isArray(x)) return x.map(toValue);
  return fromJSON(x);
}

/** The raw Value result (undefined when the call is undefined); throws what the built-in throws. */
export function callValue(name: string, ...args: unknown[]): Value | undefined {
  const def = BUILTINS.get(name);
  if (!def) throw new Error(`no built-in ${name}`);
  return def.impl(args.map(toValue), ctx);
}

/** The result as OPA's JSON text (exact numbers, sets as sorted arrays). */
export function call(name: string, ...args: unknown[]): string | undefined {
  const v = callValue(name, ...args);
  return v === undefined ? undefined : toJSONText(v);
}

/** The result as plain JSON. */
export function callJSON(name: string, ...args: unknown[]): unknown {
  const text = call(name, ...args);
  return text === undefined ? undefined : JSON.parse(text);
}

export const set = (...xs: unknown[]): SetValue => SetValue.of(xs.map(toValue));
