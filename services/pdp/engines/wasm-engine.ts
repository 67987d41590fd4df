import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { BUILTINS } from '../../rego/builtins';
import { DEFAULT_CAPABILITIES, type BuiltinContext, type BuiltinDef, type TypeSpec } from '../../rego/builtins/registry';
import { BuiltinError, BuiltinTypeError } from '../../rego/errors';
import { ObjectValue, SetValue, fromJSON, toJSON, type Value } from '../../rego/value';
import type { DecisionEngine } from './decision-engine';

/** What a bundle built with `opa build -t wasm` gives the wasm engine. */
export interface WasmBundleContents {
  wasm: Uint8Array;
  /** Base data as JSON, loaded with `setData`. */
  data: unknown;
  /** Built-ins by name; default: our Rego library's table. */
  builtins?: ReadonlyMap<string, BuiltinDef>;
}

/** The built-ins @open-policy-agent/opa-wasm implements itself (it calls its own before any we pass). */
const SDK_BUILTINS: ReadonlySet<string> = new Set(['json.is_valid', 'sprintf', 'regex.split', 'yaml.is_valid', 'yaml.marshal', 'yaml.unmarshal']);

const INITIAL_MEMORY_PAGES = 5;

export class WasmEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasmEngineError';
  }
}

/**
 * Instantiates a policy.wasm (OPA's ABI 1.x; the SDK takes the `opa_eval` fast path from ABI 1.2 on),
 * supplies from our Rego library every built-in the module calls out for, and refuses a module that
 * needs one nobody implements. Entrypoints are the module's own (`entrypoints()`, as in `.manifest`).
 */
export async function createWasmEngine(contents: WasmBundleContents): Promise<DecisionEngine> {
  const library = contents.builtins ?? BUILTINS;
  const hostBuiltins: Record<string, (...args: unknown[]) => unknown> = {};
  let context: BuiltinContext | undefined;
  const policy = await instantiate(contents.wasm, hostBuiltins);
  const needed = importedBuiltins(policy);
  const missing = needed.filter((name) => !SDK_BUILTINS.has(name) && !library.has(name));
  if (missing.length > 0) throw new WasmEngineError(`policy.wasm needs built-in functions nobody implements: ${missing.join(', ')}`);
  for (const name of needed) {
    const def = library.get(name);
    if (def && !SDK_BUILTINS.has(name)) hostBuiltins[name] = hostBuiltin(def, () => (context ??= evaluationContext()));
  }
  policy.setData(contents.data ?? {});
  const entrypoints = Object.keys(policy.entrypoints as Record<string, number>);
  return {
    kind: 'wasm',
    entrypoints,
    evaluate(path, input) {
      const entrypoint = path.join('/');
      if (!entrypoints.includes(entrypoint)) throw new WasmEngineError(`${entrypoint} is not an entrypoint of policy.wasm (it has ${entrypoints.join(', ')})`);
      context = undefined;
      const resultSet = run(() => policy.evaluate(input === undefined ? undefined : jsonBuffer(input), entrypoint) as { result: unknown }[]);
      return resultSet.length > 0 ? resultSet[0].result : undefined;
    },
  };
}

async function instantiate(wasm: Uint8Array, hostBuiltins: Record<string, (...args: unknown[]) => unknown>): Promise<LoadedPolicy> {
  try {
    // The SDK looks host built-ins up by name at call time, so they can be filled in once the module says which it needs.
    return await loadPolicy(wasm, { initial: INITIAL_MEMORY_PAGES }, hostBuiltins);
  } catch (error) {
    throw new WasmEngineError(`policy.wasm could not be loaded: ${messageOf(error)}`);
  }
}

interface PolicyExports {
  builtins(): number;
  opa_json_dump(value: number): number;
}

/** The built-ins the module calls through `opa_builtinN` (those OPA's compiler does not implement in wasm). */
function importedBuiltins(policy: LoadedPolicy): string[] {
  const loaded = policy.wasmInstance as unknown as { instance?: { exports: unknown }; exports?: unknown };
  const exports = (loaded.instance?.exports ?? loaded.exports) as PolicyExports;
  const text = cString(policy.mem as unknown as { buffer: ArrayBuffer }, exports.opa_json_dump(exports.builtins()));
  return Object.keys(JSON.parse(text) as Record<string, number>);
}

function cString(memory: { buffer: ArrayBuffer }, address: number): string {
  const bytes = new Uint8Array(memory.buffer);
  let end = address;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(address, end));
}

/**
 * Our built-in behind the SDK's JSON calling convention: arguments arrive as JSON (sets as arrays,
 * turned back into sets where the signature wants one), failures are undefined as in OPA's default
 * (non-strict) mode, and the result goes back as JSON.
 */
function hostBuiltin(def: BuiltinDef, context: () => BuiltinContext): (...args: unknown[]) => unknown {
  return (...args) => {
    const values = args.map((arg, index) => valueOf(fromJSON(arg), def.args[index] ?? def.variadic ?? 'any'));
    let result: Value | undefined;
    try {
      result = def.impl(values, context());
    } catch (error) {
      if (error instanceof BuiltinError || error instanceof BuiltinTypeError) return undefined;
      throw error;
    }
    return result === undefined ? undefined : toJSON(result);
  };
}

function valueOf(value: Value, type: TypeSpec): Value {
  if (typeof type !== 'object') return value;
  if ('set' in type) return Array.isArray(value) ? SetValue.of(value.map((item) => valueOf(item, type.set))) : value;
  if ('array' in type) return Array.isArray(value) ? value.map((item) => valueOf(item, type.array)) : value;
  if ('tuple' in type) return Array.isArray(value) ? value.map((item, index) => valueOf(item, type.tuple[index] ?? 'any')) : value;
  if ('object' in type) {
    if (!(value instanceof ObjectValue)) return value;
    const out = new ObjectValue();
    for (const [key, item] of value.entries()) out.set(key, valueOf(item, type.object[1]));
    return out;
  }
  const wantsSet = type.anyOf.some((option) => typeof option === 'object' && 'set' in option);
  const wantsArray = type.anyOf.some((option) => typeof option === 'object' && ('array' in option || 'tuple' in option));
  return wantsSet && !wantsArray && Array.isArray(value) ? SetValue.of(value) : value;
}

/** One context per evaluation, as the native engine has per query: the clock and caches are fixed for it. */
function evaluationContext(): BuiltinContext {
  return {
    strict: false,
    nowNs: BigInt(Date.now()) * 1_000_000n,
    queryCache: new Map(),
    env: {},
    print: (message) => process.stderr.write(`${message}\n`),
    capabilities: DEFAULT_CAPABILITIES,
  };
}

function jsonBuffer(value: unknown): ArrayBuffer {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return bytes.buffer.byteLength === bytes.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
}

/** The SDK and `opa_abort` throw strings and plain objects; the decision path expects Errors. */
function run<T>(evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    throw error instanceof Error ? error : new WasmEngineError(`policy.wasm evaluation failed: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
