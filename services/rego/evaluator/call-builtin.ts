/**
 * Calling built-ins and function rules, honouring `with` replacements, and turning built-in
 * failures into OPA's evaluation errors (only in strict mode, except hard errors).
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
  // OPA drops operand type errors too unless strict (conformance: */type_error_nostrict).
  if (e instanceof BuiltinTypeError) return c.strict ? new RegoError('eval_type_error', `${name}: ${e.message}`, loc) : null;
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
  // A replacement runs without any replacements in force, so it can call the original.
  const plain: EvalContext = { ...c, fnOverrides: null, memo: [] };
  const fn = c.program.functions.get(o.name);
  if (fn) return c.program.impls[fn.id]!.call(plain, args);
  const def = c.program.builtins.get(o.name);
  return def ? runBuiltin(plain, def, args, loc) : undefined;
}
