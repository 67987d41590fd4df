/**
 * Which variables a term or expression needs bound before it can run, and which it binds. The
 * ordering pass and the evaluator's code generator both use these rules, so they agree on where
 * each variable becomes bound. Conventions (OPA's):
 *   - a variable used as a ref operand (`xs[i]`) iterates: it binds rather than needs;
 *   - in `a = b`, one side is evaluated and the other unified as a pattern (binding its vars);
 *   - a comprehension or `every` needs its closure variables (those shared with the outer scope).
 */
import type { CallTerm, Expr, Term } from '../ast';
import type { ScopeNode } from './compile-state';
import { ROOT_VARS } from './resolve-refs';

export interface VarContext {
  readonly closureVars: WeakMap<ScopeNode, Set<string>>;
  /** True when the call's last argument is an output (`count(xs, n)`, `f(x, y)` for arity 1). */
  callHasOutput(call: CallTerm): boolean;
  /** True when the term names a built-in or function rule (a `with` replacement). */
  namesFunction(t: Term): boolean;
}

/** Operator of a call as a dotted name (`count`, `data.pkg.f`), or null if not a plain name. */
export function operatorName(call: CallTerm): string | null {
  const parts: string[] = [];
  for (const [i, p] of call.operator.path.entries()) {
    if (i === 0 && p.type === 'var') parts.push(p.name);
    else if (i > 0 && p.type === 'scalar' && typeof p.value === 'string') parts.push(p.value);
    else return null;
  }
  return parts.join('.');
}

/** Variables that must be bound to evaluate `t` as a value. */
export function needs(t: Term, vc: VarContext, out = new Set<string>()): Set<string> {
  switch (t.type) {
    case 'var':
      if (!ROOT_VARS.has(t.name)) out.add(t.name);
      break;
    case 'ref':
      needs(t.path[0], vc, out);
      for (let i = 1; i < t.path.length; i++) operandNeeds(t.path[i], vc, out);
      break;
    case 'array':
    case 'set':
      for (const i of t.items) needs(i, vc, out);
      break;
    case 'object':
      for (const [k, v] of t.entries) {
        needs(k, vc, out);
        needs(v, vc, out);
      }
      break;
    case 'call':
      for (const a of t.args) needs(a, vc, out);
      break;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') needs(p, vc, out);
      break;
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
      for (const v of vc.closureVars.get(t) ?? []) out.add(v);
      break;
  }
  return out;
}

/** A ref operand is unified with each key: its plain vars (also inside arrays/objects) bind. */
function operandNeeds(op: Term, vc: VarContext, out: Set<string>): void {
  switch (op.type) {
    case 'var':
      return;
    case 'array':
      for (const i of op.items) operandNeeds(i, vc, out);
      return;
    case 'object':
      for (const [k, v] of op.entries) {
        needs(k, vc, out);
        operandNeeds(v, vc, out);
      }
      return;
    default:
      needs(op, vc, out);
  }
}

function operandIterVars(op: Term, bound: ReadonlySet<string>, out: Set<string>): void {
  switch (op.type) {
    case 'var':
      if (!bound.has(op.name) && !ROOT_VARS.has(op.name)) out.add(op.name);
      return;
    case 'array':
      for (const i of op.items) operandIterVars(i, bound, out);
      return;
    case 'object':
      for (const [, v] of op.entries) operandIterVars(v, bound, out);
      return;
    default:
      iterVars(op, bound, out);
  }
}

/** Variables bound by iterating refs while evaluating `t` as a value (given `bound`). */
export function iterVars(t: Term, bound: ReadonlySet<string>, out = new Set<string>()): Set<string> {
  switch (t.type) {
    case 'ref':
      iterVars(t.path[0], bound, out);
      for (let i = 1; i < t.path.length; i++) operandIterVars(t.path[i], bound, out);
      break;
    case 'array':
    case 'set':
      for (const i of t.items) iterVars(i, bound, out);
      break;
    case 'object':
      for (const [k, v] of t.entries) {
        iterVars(k, bound, out);
        iterVars(v, bound, out);
      }
      break;
    case 'call':
      for (const a of t.args) iterVars(a, bound, out);
      break;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') iterVars(p, bound, out);
      break;
  }
  return out;
}

/** Vars `t` needs that are not bound. */
export function missing(t: Term, bound: ReadonlySet<string>, vc: VarContext, out = new Set<string>()): Set<string> {
  for (const v of needs(t, vc)) if (!bound.has(v)) out.add(v);
  return out;
}

/** Can `t` be evaluated as a value now? */
export function isEvaluable(t: Term, bound: ReadonlySet<string>, vc: VarContext): boolean {
  for (const v of needs(t, vc)) if (!bound.has(v)) return false;
  return true;
}

/**
 * Unifying `t` as a pattern against a value: adds the vars it binds to `bound` and returns true,
 * or returns false when some part can be neither evaluated nor bound.
 */
export function bindPattern(t: Term, bound: Set<string>, vc: VarContext): boolean {
  switch (t.type) {
    case 'var':
      if (!ROOT_VARS.has(t.name)) bound.add(t.name);
      return true;
    case 'array':
      return t.items.every((i) => bindPattern(i, bound, vc));
    case 'object':
      for (const [k, v] of t.entries) {
        if (!isEvaluable(k, bound, vc)) return false;
        for (const x of iterVars(k, bound)) bound.add(x);
        if (!bindPattern(v, bound, vc)) return false;
      }
      return true;
    default:
      if (!isEvaluable(t, bound, vc)) return false;
      for (const x of iterVars(t, bound)) bound.add(x);
      return true;
  }
}

/** `a = b`: adds what unification binds to `bound` and returns true, or false when unsafe. */
export function bindUnify(a: Term, b: Term, bound: Set<string>, vc: VarContext): boolean {
  for (const [x, y] of [
    [a, b],
    [b, a],
  ]) {
    if (isEvaluable(x, bound, vc)) {
      const trial = new Set(bound);
      for (const v of iterVars(x, trial)) trial.add(v);
      if (bindPattern(y, trial, vc)) {
        for (const v of trial) bound.add(v);
        return true;
      }
    }
  }
  if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length) {
    const trial = new Set(bound);
    if (!a.items.every((x, i) => bindUnify(x, b.items[i], trial, vc))) return false;
    for (const v of trial) bound.add(v);
    return true;
  }
  if (a.type === 'object' && b.type === 'object' && a.entries.length === b.entries.length) {
    const trial = new Set(bound);
    for (const [k, v] of a.entries) {
      const other = b.entries.find(([k2]) => sameScalar(k, k2));
      if (!other || !bindUnify(v, other[1], trial, vc)) return false;
    }
    for (const v of trial) bound.add(v);
    return true;
  }
  return false;
}

function sameScalar(a: Term, b: Term): boolean {
  return a.type === 'scalar' && b.type === 'scalar' && a.value === b.value;
}

export type ExprAnalysis = { ok: true } | { ok: false; unsafe: Set<string> };

/**
 * Can `e` run with `bound` vars bound? When it can, adds the vars it binds to `bound`.
 * Nested bodies (comprehensions, every) are not looked into beyond their closure variables.
 */
export function analyzeExpr(e: Expr, bound: Set<string>, vc: VarContext): ExprAnalysis {
  const unsafe = new Set<string>();
  for (const w of e.type === 'some' ? [] : e.with) if (!vc.namesFunction(w.value)) missing(w.value, bound, vc, unsafe);
  if (unsafe.size > 0) return { ok: false, unsafe };
  const trial = new Set(bound);
  const ok = analyzeInto(e, trial, vc, unsafe);
  if (!ok) return { ok: false, unsafe };
  if (e.type === 'expr' && e.negated) {
    for (const v of trial) if (!bound.has(v) && !v.startsWith('$')) unsafe.add(v);
    return unsafe.size > 0 ? { ok: false, unsafe } : { ok: true };
  }
  for (const v of trial) bound.add(v);
  return { ok: true };
}

function analyzeInto(e: Expr, bound: Set<string>, vc: VarContext, unsafe: Set<string>): boolean {
  const fail = (...terms: Term[]) => {
    for (const t of terms) missing(t, bound, vc, unsafe);
    if (unsafe.size === 0) for (const t of terms) needs(t, vc, unsafe);
    return false;
  };
  switch (e.type) {
    case 'some':
      return true;
    case 'somein': {
      if (!isEvaluable(e.collection, bound, vc)) return fail(e.collection);
      for (const v of iterVars(e.collection, bound)) bound.add(v);
      if (e.key && !bindPattern(e.key, bound, vc)) return fail(e.key);
      return bindPattern(e.value, bound, vc) || fail(e.value);
    }
    case 'every': {
      const closure = vc.closureVars.get(e) ?? new Set<string>();
      for (const v of closure) if (!bound.has(v)) unsafe.add(v);
      if (!isEvaluable(e.domain, bound, vc)) missing(e.domain, bound, vc, unsafe);
      return unsafe.size === 0;
    }
    case 'expr':
      return analyzeTermExpr(e.term, bound, vc, fail);
  }
}

function analyzeTermExpr(t: Term, bound: Set<string>, vc: VarContext, fail: (...t: Term[]) => boolean): boolean {
  if (t.type !== 'call') {
    if (!isEvaluable(t, bound, vc)) return fail(t);
    for (const v of iterVars(t, bound)) bound.add(v);
    return true;
  }
  const name = operatorName(t);
  if ((name === 'eq' || name === 'assign') && t.args.length === 2) {
    return bindUnify(t.args[0], t.args[1], bound, vc) || fail(t.args[0], t.args[1]);
  }
  const output = vc.callHasOutput(t);
  const inputs = output ? t.args.slice(0, -1) : t.args;
  // Arguments that iterate run first, so `x == xs[x]` binds x before comparing.
  for (const a of inputs) for (const v of iterVars(a, bound)) bound.add(v);
  for (const a of inputs) if (!isEvaluable(a, bound, vc)) return fail(...inputs);
  if (output && !bindPattern(t.args[t.args.length - 1], bound, vc)) return fail(t.args[t.args.length - 1]);
  return true;
}
