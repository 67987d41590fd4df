/**
 * Pass: safety. Reorders each body so every expression runs only once the variables it needs are
 * bound (keeping the written order wherever that already works, as OPA does), recursing into
 * comprehensions and `every` with the variables bound at their position. A variable no order can
 * bind is `rego_unsafe_var_error: var x is unsafe`; so is a head variable the body never binds.
 */
import type { Body, Expr, Rule, Term } from '../ast';
import { RegoError } from '../errors';
import type { CompilerPass } from './compile-state';
import { forEachScopeExprTerm, forEachScopeTerm } from './scopes';
import { analyzeExpr, bindPattern, missing, type VarContext } from './term-vars';
import { makeVarContext } from './var-context';

function displayName(v: string): string {
  const i = v.indexOf('$');
  return i > 0 ? v.slice(0, i) : v;
}

class BodyOrderer {
  constructor(
    private readonly vc: VarContext,
    private readonly errors: RegoError[],
  ) {}

  /** Reorders `body` in place; returns the vars bound after it. */
  order(body: Body, bound: Set<string>): Set<string> {
    const remaining = [...body];
    const ordered: Expr[] = [];
    while (remaining.length > 0) {
      const i = remaining.findIndex((e) => analyzeExpr(e, new Set(bound), this.vc).ok);
      if (i < 0) {
        this.reportUnsafe(remaining, bound);
        break;
      }
      const [e] = remaining.splice(i, 1);
      this.orderNested(e, bound);
      analyzeExpr(e, bound, this.vc);
      ordered.push(e);
    }
    body.splice(0, body.length, ...ordered, ...remaining);
    return bound;
  }

  private reportUnsafe(remaining: Expr[], bound: Set<string>): void {
    const seen = new Set<string>();
    for (const e of remaining) {
      const r = analyzeExpr(e, new Set(bound), this.vc);
      if (r.ok) continue;
      for (const v of r.unsafe) {
        if (seen.has(v)) continue;
        seen.add(v);
        this.errors.push(new RegoError('rego_unsafe_var_error', `var ${displayName(v)} is unsafe`, e.loc));
      }
    }
  }

  /** Orders the comprehensions and `every` bodies inside `e`, given the vars bound before it. */
  orderNested(e: Expr, bound: ReadonlySet<string>): void {
    const visitor = {
      term: () => undefined,
      nested: (n: Term | Expr) => this.orderScope(n, bound),
    };
    forEachScopeExprTerm(e, visitor);
  }

  orderTerms(terms: readonly Term[], bound: ReadonlySet<string>): void {
    const visitor = { term: () => undefined, nested: (n: Term | Expr) => this.orderScope(n, bound) };
    for (const t of terms) forEachScopeTerm(t, visitor);
  }

  private orderScope(n: Term | Expr, outer: ReadonlySet<string>): void {
    const bound = new Set(outer);
    switch (n.type) {
      case 'arraycomp':
      case 'setcomp':
        this.order(n.body, bound);
        return this.checkHead([n.head], bound, n.loc);
      case 'objectcomp':
        this.order(n.body, bound);
        return this.checkHead([n.key, n.value], bound, n.loc);
      case 'every':
        if (n.key) bindPattern(n.key, bound, this.vc);
        bindPattern(n.value, bound, this.vc);
        this.order(n.body, bound);
        return;
    }
  }

  checkHead(terms: readonly Term[], bound: ReadonlySet<string>, loc: Rule['loc']): void {
    this.orderTerms(terms, bound);
    const unsafe = new Set<string>();
    for (const t of terms) missing(t, bound, this.vc, unsafe);
    for (const v of unsafe) this.errors.push(new RegoError('rego_unsafe_var_error', `var ${displayName(v)} is unsafe`, loc));
  }
}

function orderRule(orderer: BodyOrderer, vc: VarContext, rule: Rule): void {
  const argBound = () => {
    const b = new Set<string>();
    for (const a of rule.head.args ?? []) bindPattern(a, b, vc);
    return b;
  };
  const bound = orderer.order(rule.body, argBound());
  const head = rule.head;
  const terms = [...head.ref.path.slice(1)];
  if (head.key) terms.push(head.key);
  if (head.value) terms.push(head.value);
  orderer.checkHead(terms, bound, rule.loc);
  for (const e of rule.elses) {
    const b = orderer.order(e.body, argBound());
    if (e.value) orderer.checkHead([e.value], b, e.loc);
  }
}

export const orderBodiesPass: CompilerPass = {
  name: 'order_bodies',
  run(state) {
    const vc = makeVarContext(state);
    const orderer = new BodyOrderer(vc, state.errors);
    for (const m of state.modules) for (const r of m.rules) orderRule(orderer, vc, r);
    if (state.query) orderer.order(state.query, new Set());
  },
};
