/**
 * Pass: every call names a known function (a built-in, a native operator or a function rule),
 * passes its declared number of arguments (optionally plus one output argument), and passes no
 * literal of a type the built-in's signature excludes. OPA reports these as `rego_type_error`.
 */
import type { Body, CallTerm, Rule, Term } from '../ast';
import { RegoError } from '../errors';
import type { CompilerPass, CompileState } from './compile-state';
import { visitBody, visitTerm } from './ast-walk';
import { findNode } from './rule-tree';
import { operatorName } from './term-vars';
import type { TypeSpec } from '../builtins/registry';
import { typeName, type TypeName } from '../value';
import { NATIVE_CALLS } from './var-context';

function checkCall(state: CompileState, call: CallTerm): void {
  const name = operatorName(call);
  if (name === null || NATIVE_CALLS.has(name)) return;
  const error = (msg: string): void => {
    state.errors.push(new RegoError('rego_type_error', msg, call.loc));
  };
  if (name.startsWith('data.')) {
    const node = state.tree ? findNode(state.tree, name.split('.').slice(1)) : null;
    if (!node || node.kind === null) {
      // Calling a base-data path or a missing function.
      return error(`undefined function ${name}`);
    }
    if (node.kind !== 'function') return;
    const arity = (node.rules[0] ?? node.defaultRule)!.rule.head.args!.length;
    if (call.args.length !== arity && call.args.length !== arity + 1) error(`${name}: arity mismatch`);
    return;
  }
  const def = state.builtins.get(name);
  if (!def) return error(`undefined function ${name}`);
  const n = def.args.length;
  const ok = def.variadic ? call.args.length >= n : call.args.length === n || call.args.length === n + 1;
  if (!ok) return error(`${name}: arity mismatch`);
  const inputs = def.variadic ? call.args : call.args.slice(0, n);
  inputs.forEach((arg, i) => {
    const spec = i < n ? def.args[i] : def.variadic!;
    const type = literalType(arg);
    if (type !== null && !accepts(spec, type)) error(`${name}: invalid argument(s): operand ${i + 1} is ${type}`);
  });
}

/** The type of a literal argument, or null when only evaluation can tell. */
function literalType(t: Term): TypeName | null {
  switch (t.type) {
    case 'scalar':
      return typeName(t.value);
    case 'array':
    case 'arraycomp':
      return 'array';
    case 'set':
    case 'setcomp':
      return 'set';
    case 'object':
    case 'objectcomp':
      return 'object';
    case 'template':
      return 'string';
    default:
      return null;
  }
}

function accepts(spec: TypeSpec, type: TypeName): boolean {
  if (typeof spec === 'string') return spec === 'any' || spec === type;
  if ('anyOf' in spec) return spec.anyOf.some((s) => accepts(s, type));
  if ('array' in spec || 'tuple' in spec) return type === 'array';
  if ('set' in spec) return type === 'set';
  return type === 'object';
}

function checkTerms(state: CompileState, terms: (Term | null)[], bodies: Body[]): void {
  const visit = (t: Term) => {
    if (t.type === 'call') checkCall(state, t);
  };
  for (const t of terms) if (t) visitTerm(t, visit);
  for (const b of bodies) visitBody(b, visit);
}

function checkRule(state: CompileState, rule: Rule): void {
  const h = rule.head;
  checkTerms(
    state,
    [...h.ref.path.slice(1), h.key, h.value, ...rule.elses.map((e) => e.value)],
    [rule.body, ...rule.elses.map((e) => e.body)],
  );
}

export const checkCallsPass: CompilerPass = {
  name: 'check_calls',
  run(state) {
    for (const m of state.modules) for (const r of m.rules) checkRule(state, r);
    if (state.query) checkTerms(state, [], [state.query]);
  },
};
