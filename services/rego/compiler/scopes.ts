/**
 * Which terms belong to which variable scope. A rule body is one scope; each comprehension and
 * each `every` opens a nested one. `forEachScopeTerm` visits the terms of one scope only, handing
 * nested scopes to the caller instead of descending into them.
 */
import type { Body, Expr, Term } from '../ast';
import type { ScopeNode } from './compile-state';

export interface ScopeVisitor {
  term(t: Term): void;
  nested(node: ScopeNode): void;
}

export function forEachScopeTerm(t: Term, v: ScopeVisitor): void {
  switch (t.type) {
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
      v.nested(t);
      return;
  }
  v.term(t);
  switch (t.type) {
    case 'ref':
      for (const p of t.path) forEachScopeTerm(p, v);
      break;
    case 'array':
    case 'set':
      for (const i of t.items) forEachScopeTerm(i, v);
      break;
    case 'object':
      for (const [k, x] of t.entries) {
        forEachScopeTerm(k, v);
        forEachScopeTerm(x, v);
      }
      break;
    case 'call':
      for (const a of t.args) forEachScopeTerm(a, v);
      break;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') forEachScopeTerm(p, v);
      break;
  }
}

export function forEachScopeExprTerm(e: Expr, v: ScopeVisitor): void {
  switch (e.type) {
    case 'expr':
      forEachScopeTerm(e.term, v);
      break;
    case 'some':
      for (const x of e.vars) v.term(x);
      return;
    case 'somein':
      if (e.key) forEachScopeTerm(e.key, v);
      forEachScopeTerm(e.value, v);
      forEachScopeTerm(e.collection, v);
      break;
    case 'every':
      forEachScopeTerm(e.domain, v);
      v.nested(e);
      break;
  }
  // With targets name documents or functions, not variables.
  for (const w of e.with) forEachScopeTerm(w.value, v);
}

export function forEachScopeBodyTerm(body: Body, v: ScopeVisitor): void {
  for (const e of body) forEachScopeExprTerm(e, v);
}

/** Variables of a term (any position), top-level scope only. */
export function scopeVarsOf(t: Term, out: Set<string>): Set<string> {
  forEachScopeTerm(t, {
    term: (x) => {
      if (x.type === 'var') out.add(x.name);
    },
    nested: () => undefined,
  });
  return out;
}
