/** Builds the VarContext (closure vars + call arities) from the compile state. */
import type { CallTerm } from '../ast';
import type { CompileState } from './compile-state';
import { findNode } from './rule-tree';
import { refNameParts } from './ast-walk';
import { operatorName, type VarContext } from './term-vars';

/** Calls the evaluator handles itself; none takes an output argument. */
export const NATIVE_CALLS = new Set(['eq', 'assign', 'print', 'internal.print', 'rego.metadata.rule', 'rego.metadata.chain']);

/** Declared arity of a call's target, or null when unknown. */
export function calleeArity(state: CompileState, call: CallTerm): number | null {
  const name = operatorName(call);
  if (name === null || NATIVE_CALLS.has(name)) return null;
  if (name.startsWith('data.')) {
    const node = state.tree ? findNode(state.tree, name.split('.').slice(1)) : null;
    const rule = node?.kind === 'function' ? (node.rules[0] ?? node.defaultRule)?.rule : undefined;
    return rule?.head.args?.length ?? null;
  }
  const def = state.builtins.get(name);
  if (!def || def.variadic) return null;
  return def.args.length;
}

export function makeVarContext(state: CompileState): VarContext {
  return {
    closureVars: state.closureVars,
    namesFunction(t) {
      const parts = refNameParts(t);
      if (!parts) return false;
      if (parts[0] === 'data') return state.tree !== null && findNode(state.tree, parts.slice(1))?.kind === 'function';
      return state.builtins.has(parts.join('.'));
    },
    callHasOutput(call) {
      const arity = calleeArity(state, call);
      return arity !== null && call.args.length === arity + 1;
    },
  };
}
