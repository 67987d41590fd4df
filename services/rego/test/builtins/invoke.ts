/** Calls a built-in with a chosen context (clock, capabilities), for the families that depend on one. */
import { BUILTINS } from '../../builtins';
import { DEFAULT_CAPABILITIES, type BuiltinContext, type HostCapabilities } from '../../builtins/registry';
import { toJSON, type Value } from '../../value';

export interface ContextOptions {
  nowNs?: bigint;
  capabilities?: Partial<HostCapabilities>;
  queryCache?: Map<string, unknown>;
  env?: Record<string, string> | null;
  deadline?: number;
}

export function context(options: ContextOptions = {}): BuiltinContext {
  return {
    strict: true,
    nowNs: options.nowNs ?? 0n,
    queryCache: options.queryCache ?? new Map(),
    env: options.env === undefined ? {} : options.env,
    print: () => undefined,
    capabilities: { ...DEFAULT_CAPABILITIES, ...options.capabilities },
    deadline: options.deadline,
  };
}

export function invoke(name: string, args: Value[], ctx: BuiltinContext = context()): Value | undefined {
  const def = BUILTINS.get(name);
  if (!def) throw new Error(`no built-in ${name}`);
  return def.impl(args, ctx);
}

export function invokeJSON(name: string, args: Value[], ctx?: BuiltinContext): unknown {
  const v = invoke(name, args, ctx);
  return v === undefined ? undefined : toJSON(v);
}
