/**
 * `opa eval` semantics on top of Policy.query: besides the bindings of each solution, report the
 * value of every query expression. As OPA does, an expression that is not a unification,
 * assignment or negation is rewritten to capture its value (`x > 1` → `__capture0__ = gt(x, 1)`),
 * and with more than one expression each captured value must also be truthy.
 */
import type { Body, Expr, TermExpr, Term, VarTerm } from './ast';
import { parseQuery } from './parser';
import type { EvalOptions, Policy } from './policy';
import type { Value } from './value';

export interface ExpressionValue {
  value: Value;
  /** The expression's source text. */
  text: string;
  location: { row: number; col: number };
}

export interface QueryResult {
  expressions: ExpressionValue[];
  /** User variables of the query (captures and generated variables left out). */
  bindings: Map<string, Value>;
}

/** Built-ins that return nothing: their expressions have no value to capture. */
const VOID_CALLS = new Set(['print']);
const BOOLEAN_FORMS = new Set(['eq', 'assign']);

function operatorName(t: Term): string | null {
  if (t.type !== 'call') return null;
  const head = t.operator.path[0];
  return t.operator.path.length === 1 && head.type === 'var' ? head.name : null;
}

function captures(e: Expr): e is TermExpr {
  if (e.type !== 'expr' || e.negated) return false;
  const op = operatorName(e.term);
  return op === null || (!BOOLEAN_FORMS.has(op) && !VOID_CALLS.has(op));
}

function offsetOf(source: string, row: number, col: number): number {
  let offset = 0;
  for (let r = 1; r < row; r++) {
    const nl = source.indexOf('\n', offset);
    if (nl < 0) return source.length;
    offset = nl + 1;
  }
  return offset + col - 1;
}

function expressionTexts(source: string, body: Body): string[] {
  const starts = body.map((e) => offsetOf(source, e.loc.row, e.loc.col));
  return starts.map((start, i) => source.slice(start, i + 1 < starts.length ? starts[i + 1] : source.length).replace(/[\s;]+$/, ''));
}

/** Evaluates `source` like `opa eval`: one QueryResult per solution, [] when undefined. Throws RegoErrors/RegoError. */
export function evalQuery(policy: Policy, source: string, options: EvalOptions = {}): QueryResult[] {
  const body = parseQuery(source, 'query');
  const texts = expressionTexts(source, body);
  const captureNames: (string | null)[] = [];
  const rewritten: Body = body.map((e, i) => {
    if (!captures(e)) {
      captureNames.push(null);
      return e;
    }
    const name = `__capture${i}__`;
    captureNames.push(name);
    const v: VarTerm = { type: 'var', name, loc: e.loc };
    const eq: Term = { type: 'call', operator: { type: 'ref', path: [{ type: 'var', name: 'eq', loc: e.loc }], loc: e.loc }, args: [v, e.term], loc: e.loc };
    return { ...e, term: eq };
  });
  if (body.length > 1) {
    for (const name of captureNames) {
      if (name === null) continue;
      const loc = body[0].loc;
      rewritten.push({ type: 'expr', term: { type: 'var', name, loc }, negated: false, with: [], loc });
    }
  }
  const hidden = new Set(captureNames.filter((n): n is string => n !== null));
  return policy.query(rewritten, options).map((row) => {
    const bindings = new Map<string, Value>();
    for (const [k, v] of row) if (!hidden.has(k) && !k.startsWith('$')) bindings.set(k, v);
    return {
      expressions: body.map((e, i) => ({
        value: captureNames[i] === null ? true : (row.get(captureNames[i]!) ?? null),
        text: texts[i],
        location: { row: e.loc.row, col: e.loc.col },
      })),
      bindings,
    };
  });
}
