/**
 * Calling built-ins and function rules, honouring `with` replacements, and turning built-in
 * failures into OPA's evaluation errors (type errors always; other errors only in strict mode).
 */
import type { Location } from '../ast';
import type { BuiltinDef } from '../builtins/registry';
import { BuiltinError, BuiltinHardError, BuiltinTypeError, RegoError } from '../errors';
import type { Value } from '../value';
import type { RuleNode } from '../compiler/rule-tree';
import type { EvalContext, FnOverride } from './types';

export function invokeBuiltin(c: EvalContext, def: BuiltinDef, args: Value[], loc: Location | null): Value | undefined {
  if (c.fnOverrides !== null) {
    const o = c.fnOverrides.get(def.name);
    if (o !== undefined) return invokeOverride(c, o, args, loc);
  }
  return runBuiltin(c, def, args, loc);
}

export function runBuiltin(c: EvalContext, def: BuiltinDef, args: Value[], loc: Location | null): Value | undefined {
  try {
    return def.impl(args, c.builtinCtx);
  } catch (e) {
    const failure = builtinFailure(c, def.name, e, loc);
    if (failure === null) return undefined;
    throw failure;
  }
}

function builtinFailure(c: EvalContext, name: string, e: unknown, loc: Location | null): unknown {
  if (e instanceof BuiltinTypeError) return new RegoError('eval_type_error', `${name}: ${e.message}`, loc);
  if (e instanceof BuiltinHardError) return new RegoError('eval_builtin_error', `${name}: ${e.message}`, loc);
  if (e instanceof BuiltinError) {
    return c.strict ? new RegoError('eval_builtin_error', `${name}: ${e.message}`, loc) : null;
  }
  return e;
}

export function invokeFunction(c: EvalContext, node: RuleNode, name: string, args: Value[], loc: Location | null): Value | undefined {
  if (c.fnOverrides !== null) {
    const o = c.fnOverrides.get(name);
    if (o !== undefined) return invokeOverride(c, o, args, loc);
  }
  return c.program.impls[node.id]!.call(c, args);
}

function invokeOverride(c: EvalContext, o: FnOverride, args: Value[], loc: Location | null): Value | undefined {
  if (o.kind === 'value') return o.value;
  const fn = c.program.functions.get(o.name);
  if (fn) return c.program.impls[fn.id]!.call(c, args);
  const def = c.program.builtins.get(o.name);
  return def ? runBuiltin(c, def, args, loc) : undefined;
}
