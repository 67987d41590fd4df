/**
 * The engine's entry point: compile modules once (`compilePolicy`), then evaluate documents or
 * ad-hoc queries many times. A Policy is immutable and safe to share between requests.
 */
import type { Body, Location, Module, Rule } from './ast';
import { BUILTINS } from './builtins';
import { DEFAULT_CAPABILITIES, type BuiltinContext, type BuiltinDef, type CachedHttpResponse, type HostCapabilities } from './builtins/registry';
import { BoundedCache } from './builtins/bounded-cache';
import { RegoError, RegoErrors } from './errors';
import { parseQuery } from './parser';
import type { Value } from './value';
import { compileModules, type CompiledModules } from './compiler/pipeline';
import { Program, type CompiledQuery } from './evaluator/program';
import type { Step } from './evaluator/data-walk';
import type { EvalContext } from './evaluator/types';

export interface CompileOptions {
  builtins?: ReadonlyMap<string, BuiltinDef>;
  capabilities?: HostCapabilities;
}

export interface EvalTracer {
  onExpr?(loc: Location): void;
  /** `at`: the location of the clause that ran, the rule's own or one of its `else`s. */
  onRule?(rule: Rule, succeeded: boolean, at: Location): void;
  /** `trace(note)` was evaluated. */
  onNote?(note: string): void;
}

export interface EvalOptions {
  input?: Value;
  nowNs?: bigint;
  strictBuiltinErrors?: boolean;
  print?: (msg: string) => void;
  env?: Record<string, string>;
  tracer?: EvalTracer;
  deadline?: number;
}

const QUERY_CACHE_LIMIT = 256;

function defaultPrint(msg: string): void {
  process.stderr.write(msg + '\n');
}

/** Per-query built-in context; the clock and the cache are created only when a built-in asks. */
class QueryBuiltinContext implements BuiltinContext {
  private now: bigint | undefined;
  private cache: Map<string, unknown> | undefined;
  readonly strict: boolean;
  readonly env: Readonly<Record<string, string>> | null;
  readonly print: (message: string) => void;
  readonly deadline: number;
  readonly trace: ((note: string) => void) | undefined;

  constructor(
    options: EvalOptions,
    readonly capabilities: HostCapabilities,
  ) {
    this.now = options.nowNs;
    this.deadline = options.deadline ?? 0;
    const tracer = options.tracer;
    this.trace = tracer?.onNote ? (note) => tracer.onNote!(note) : undefined;
    this.strict = options.strictBuiltinErrors === true;
    this.env = options.env ?? null;
    this.print = options.print ?? defaultPrint;
  }

  get nowNs(): bigint {
    return (this.now ??= BigInt(Date.now()) * 1_000_000n);
  }

  get queryCache(): Map<string, unknown> {
    return (this.cache ??= new Map());
  }
}

export class Policy {
  private readonly program: Program;
  private readonly queries = new Map<string, CompiledQuery>();
  private readonly paths = new Map<string, Step[]>();

  /** Use compilePolicy. */
  constructor(
    readonly modules: readonly Module[],
    compiled: CompiledModules,
    builtins: ReadonlyMap<string, BuiltinDef>,
    private readonly capabilities: HostCapabilities,
  ) {
    this.program = new Program(compiled, builtins);
  }

  private context(options: EvalOptions): EvalContext {
    return this.program.context({
      input: options.input,
      builtinCtx: new QueryBuiltinContext(options, this.capabilities),
      strict: options.strictBuiltinErrors === true,
      tracer: options.tracer ?? null,
      deadline: options.deadline ?? 0,
    });
  }

  /** The value of `data.<path>` for this input; undefined when undefined. */
  evaluate(path: readonly string[], options: EvalOptions = {}): Value | undefined {
    const key = path.join('\u0000');
    let steps = this.paths.get(key);
    if (!steps) {
      steps = path.map((p): Step => ({ kind: 'key', fn: () => p, value: p }));
      this.paths.set(key, steps);
    }
    return this.program.evaluatePath(this.context(options), steps);
  }

  /** One binding set per solution, in evaluation order; [] when the query is undefined. */
  query(query: string | Body, options: EvalOptions = {}): Map<string, Value>[] {
    const compiled = this.compiledQuery(query);
    const c = this.context(options);
    const s: (Value | undefined)[] = new Array(compiled.slots);
    const results: Map<string, Value>[] = [];
    compiled.goal(s, c, () => {
      const row = new Map<string, Value>();
      for (const [name, slot] of compiled.outputs) {
        const v = s[slot];
        if (v !== undefined) row.set(name, v);
      }
      results.push(row);
      return false;
    });
    return results;
  }

  private compiledQuery(query: string | Body): CompiledQuery {
    if (typeof query !== 'string') return this.program.compileQuery(query);
    let compiled = this.queries.get(query);
    if (!compiled) {
      compiled = this.program.compileQuery(parseQuery(query));
      if (this.queries.size >= QUERY_CACHE_LIMIT) this.queries.clear();
      this.queries.set(query, compiled);
    }
    return compiled;
  }
}

/** Responses http.send may reuse across queries: kept per policy unless the host shares a cache. */
const HTTP_RESPONSE_CACHE_SIZE = 512;

function withResponseCache(capabilities: HostCapabilities): HostCapabilities {
  if (capabilities.httpSendCache !== undefined) return capabilities;
  return { ...capabilities, httpSendCache: new BoundedCache<string, CachedHttpResponse>(HTTP_RESPONSE_CACHE_SIZE) };
}

/** Compiles modules against base data; throws RegoErrors (rego_* codes) when they don't compile. */
export function compilePolicy(modules: Module[], data: Value, options: CompileOptions = {}): Policy {
  const builtins = options.builtins ?? BUILTINS;
  const compiled = compileModules(modules, data, builtins);
  try {
    return new Policy(modules, compiled, builtins, withResponseCache(options.capabilities ?? DEFAULT_CAPABILITIES));
  } catch (e) {
    // Code generation finds a few compile errors of its own (e.g. a `with` target that is no document).
    if (e instanceof RegoError) throw new RegoErrors([e]);
    throw e;
  }
}

