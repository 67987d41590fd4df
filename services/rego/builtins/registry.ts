/**
 * The built-in function table: one declaration per built-in, holding its signature (which drives
 * compile-time type checks, capability checks and docs) and its implementation. Family modules
 * (`strings.ts`, `time.ts`, …) each export a `BuiltinDef[]`; `index.ts` merges them.
 */
import type { ObjectValue, Value } from '../value';

/** OPA's type language, as data. */
export type TypeSpec =
  | 'any'
  | 'null'
  | 'boolean'
  | 'number'
  | 'string'
  | { array: TypeSpec }
  | { set: TypeSpec }
  | { object: [TypeSpec, TypeSpec] }
  /** Fixed-shape arrays (e.g. walk's `[path, value]`). */
  | { tuple: TypeSpec[] }
  | { anyOf: TypeSpec[] };

/** What a built-in may see besides its arguments; fixed for the duration of one query. */
export interface BuiltinContext {
  /** Strict built-in errors: failures raise eval_builtin_error instead of being undefined. */
  readonly strict: boolean;
  /** `time.now_ns()`: one value for the whole query, as OPA does. */
  readonly nowNs: bigint;
  /** Per-query memo (rand.intn stability, http.send responses…), keyed by the built-in's choice. */
  readonly queryCache: Map<string, unknown>;
  /**
   * Environment visible to `opa.runtime()`; null when the host passes no runtime information,
   * and then `opa.runtime()` is `{}`, as OPA's is when no runtime is configured.
   */
  readonly env: Readonly<Record<string, string>> | null;
  /** Where `print` output goes. */
  readonly print: (message: string) => void;
  /** Where `trace(note)` notes go (the query's EvalTracer.onNote); absent = dropped. */
  readonly trace?: (note: string) => void;
  /** Host capabilities that are off unless the embedding service turns them on. */
  readonly capabilities: HostCapabilities;
  /**
   * performance.now() in ms after which the query is cancelled (0 or absent: none). Long-running
   * built-ins poll it through deadline.ts.
   */
  readonly deadline?: number;
}

export interface HostCapabilities {
  /** Hosts (exact or `*.suffix`) `http.send` may reach; empty = http.send disabled. */
  readonly httpSendAllowedHosts: readonly string[];
  readonly httpSendTimeoutMs: number;
  readonly netLookupEnabled: boolean;
  /**
   * Where http.send keeps responses across queries (`cache`, `force_cache`); compilePolicy gives
   * each policy its own when the host passes none. Absent: responses live only for one query.
   */
  readonly httpSendCache?: HttpResponseCache;
}

export interface CachedHttpResponse {
  readonly value: ObjectValue;
  /** Date.now() in ms after which the response is stale. */
  readonly expiresAt: number;
}

/** A bounded map from request text to response (BoundedCache fits). */
export interface HttpResponseCache {
  get(key: string): CachedHttpResponse | undefined;
  set(key: string, value: CachedHttpResponse): void;
}

export const DEFAULT_CAPABILITIES: HostCapabilities = {
  httpSendAllowedHosts: [],
  httpSendTimeoutMs: 5000,
  netLookupEnabled: false,
};

/**
 * Returns the result, or `undefined` when the call is undefined. Throws BuiltinTypeError,
 * BuiltinError or BuiltinHardError (see errors.ts) on failure.
 */
export type BuiltinImpl = (args: Value[], ctx: BuiltinContext) => Value | undefined;

export interface BuiltinDef {
  /** Dotted name as in Rego: `count`, `io.jwt.decode_verify`. Operators use OPA's names (`plus`). */
  readonly name: string;
  readonly args: readonly TypeSpec[];
  readonly result: TypeSpec;
  readonly impl: BuiltinImpl;
  /** Family, for docs and capability listings (`strings`, `time`, …). */
  readonly category: string;
  /** Depends on something other than its arguments (time, randomness, network). */
  readonly nondeterministic?: boolean;
  /** Kept for v0 policies; OPA rejects calls to it in v1 (strict) modules. */
  readonly deprecated?: boolean;
  /** Variadic tail type (e.g. `print`), when the declared args are a minimum. */
  readonly variadic?: TypeSpec;
  /**
   * A relation yields several results (OPA's `walk`): impl returns an array Value whose elements
   * are the individual results, each unified with the output argument in turn.
   */
  readonly relation?: boolean;
}

/** Declares a built-in; a helper so family modules read as tables. */
export function builtin(def: BuiltinDef): BuiltinDef {
  return def;
}
