/**
 * The compiler: an ordered list of small passes over a private copy of the modules (OPA's
 * `ast.Compiler` stages). Each pass records errors; compilation stops after the first pass that
 * found any and throws them together.
 */
import type { Body, Module } from '../ast';
import { RegoErrors } from '../errors';
import type { BuiltinDef } from '../builtins/registry';
import type { Value } from '../value';
import { cloneAst } from './ast-walk';
import type { CompilerPass, CompileState } from './compile-state';
import { resolveRefsPass } from './resolve-refs';
import { rewriteLocalsPass } from './rewrite-locals';
import { buildRuleTreePass, type RuleTree } from './rule-tree';
import { checkRecursionPass } from './check-recursion';
import { checkCallsPass } from './check-calls';
import { orderBodiesPass } from './order-bodies';
import { ruleIndexPass } from './rule-index';

export const MODULE_PASSES: readonly CompilerPass[] = [
  resolveRefsPass,
  rewriteLocalsPass,
  buildRuleTreePass,
  checkRecursionPass,
  checkCallsPass,
  orderBodiesPass,
  ruleIndexPass,
];

/** Passes for an ad-hoc query against an already compiled tree. */
export const QUERY_PASSES: readonly CompilerPass[] = [resolveRefsPass, rewriteLocalsPass, checkCallsPass, orderBodiesPass];

export interface CompiledModules {
  readonly state: CompileState;
  readonly tree: RuleTree;
}

function runPasses(state: CompileState, passes: readonly CompilerPass[]): void {
  for (const pass of passes) {
    pass.run(state);
    if (state.errors.length > 0) throw new RegoErrors(state.errors);
  }
}

export function compileModules(
  modules: readonly Module[],
  data: Value,
  builtins: ReadonlyMap<string, BuiltinDef>,
): CompiledModules {
  const state: CompileState = {
    modules: cloneAst([...modules]),
    data,
    builtins,
    errors: [],
    closureVars: new WeakMap(),
    indexConditions: new WeakMap(),
    tree: null,
    query: null,
  };
  runPasses(state, MODULE_PASSES);
  return { state, tree: state.tree! };
}

/** Compiles a query body against compiled modules; returns the rewritten, ordered body. */
export function compileQuery(compiled: CompiledModules, query: Body): { body: Body; state: CompileState } {
  const state: CompileState = {
    ...compiled.state,
    modules: [],
    errors: [],
    query: cloneAst(query),
  };
  runPasses(state, QUERY_PASSES);
  return { body: state.query!, state };
}
