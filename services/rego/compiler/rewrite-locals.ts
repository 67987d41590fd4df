/**
 * Pass: give every variable a name unique within its rule. A variable declared in a nested scope
 * (`:=` or `some` inside a comprehension or `every`, or an `every` key/value) that shadows an outer
 * one is renamed `x$N`; any other variable of a nested scope that also occurs in an enclosing scope
 * is that outer variable (a closure variable, recorded in `state.closureVars`). Also rejects
 * assigning the same variable twice in one scope, as OPA does.
 */
import type { Body, Expr, Rule, Term } from '../ast';
import { RegoError } from '../errors';
import type { CompilerPass, CompileState, ScopeNode } from './compile-state';
import { forEachScopeBodyTerm, forEachScopeExprTerm, forEachScopeTerm, scopeVarsOf } from './scopes';
import { ROOT_VARS } from './resolve-refs';

class Scope {
  readonly names = new Map<string, string>();
  /** Body index of the expression declaring a name with `:=`/`some` (visible to nested scopes after it). */
  readonly declIndex = new Map<string, number>();
  constructor(
    readonly parent: Scope | null,
    readonly node: ScopeNode | null,
    /** Index of the expression of the parent body this scope sits in. */
    readonly indexInParent = Infinity,
  ) {}
}

class Renamer {
  private counter = 0;
  constructor(private readonly state: CompileState) {}

  fresh(name: string): string {
    return `${name}$${++this.counter}`;
  }

  /** Finds `name` in an enclosing scope, recording it as a closure variable of the scopes between. */
  private lookupOuter(scope: Scope, name: string): string | null {
    const crossed: Scope[] = [scope];
    let child = scope;
    for (let s = scope.parent; s; child = s, s = s.parent) {
      const found = s.names.get(name);
      const declaredAt = s.declIndex.get(name);
      if (found !== undefined && (declaredAt === undefined || declaredAt < child.indexInParent)) {
        for (const c of crossed) if (c.node) this.closureSet(c.node).add(found);
        return found;
      }
      crossed.push(s);
    }
    return null;
  }

  private closureSet(node: ScopeNode): Set<string> {
    let set = this.state.closureVars.get(node);
    if (!set) this.state.closureVars.set(node, (set = new Set()));
    return set;
  }

  process(scope: Scope, body: Body, extraTerms: readonly Term[], declared: Set<string>): void {
    const used = new Set<string>();
    const nested: [ScopeNode, number][] = [];
    let index = Infinity;
    const visitor = {
      term: (t: Term) => {
        if (t.type === 'var' && !ROOT_VARS.has(t.name)) used.add(t.name);
      },
      nested: (n: ScopeNode) => nested.push([n, index]),
    };
    for (const t of extraTerms) forEachScopeTerm(t, visitor);
    body.forEach((e, i) => {
      index = i;
      forEachScopeExprTerm(e, visitor);
    });
    for (const name of declared) scope.declIndex.set(name, -1);
    this.collectDeclared(body, declared, scope.declIndex);

    for (const name of declared) {
      const outer = scope.parent ? this.visibleOuter(scope.parent, name) : false;
      scope.names.set(name, outer ? this.fresh(name) : name);
    }
    for (const name of used) {
      if (scope.names.has(name)) continue;
      const outer = this.lookupOuter(scope, name);
      const shadowed = outer === null && scope.parent !== null && this.visibleOuter(scope.parent, name);
      scope.names.set(name, outer ?? (shadowed ? this.fresh(name) : name));
    }
    const rename = {
      term: (t: Term) => {
        if (t.type === 'var') t.name = scope.names.get(t.name) ?? t.name;
      },
      nested: () => undefined,
    };
    for (const t of extraTerms) forEachScopeTerm(t, rename);
    forEachScopeBodyTerm(body, rename);

    for (const [n, i] of nested) this.processNested(scope, n, i);
  }

  private visibleOuter(scope: Scope, name: string): boolean {
    for (let s: Scope | null = scope; s; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }

  private processNested(parent: Scope, node: ScopeNode, index: number): void {
    const scope = new Scope(parent, node, index);
    this.closureSet(node);
    switch (node.type) {
      case 'arraycomp':
      case 'setcomp':
        return this.process(scope, node.body, [node.head], new Set());
      case 'objectcomp':
        return this.process(scope, node.body, [node.key, node.value], new Set());
      case 'every': {
        const declared = new Set<string>();
        if (node.key) scopeVarsOf(node.key, declared);
        scopeVarsOf(node.value, declared);
        const terms = node.key ? [node.key, node.value] : [node.value];
        return this.process(scope, node.body, terms, declared);
      }
    }
  }

  /** `some`, `:=` and `some … in` declarations of this scope; rejects double assignment. */
  private collectDeclared(body: Body, out: Set<string>, declIndex: Map<string, number>): void {
    const assigned = new Set<string>();
    for (const [i, e] of body.entries()) {
      for (const name of declaredBy(e)) {
        out.add(name);
        if (!declIndex.has(name)) declIndex.set(name, i);
      }
      if (e.type === 'expr' && isCall(e.term, 'assign')) {
        for (const name of scopeVarsOf(e.term.args[0], new Set())) {
          if (assigned.has(name) && !name.startsWith('$')) {
            this.state.errors.push(new RegoError('rego_compile_error', `var ${name} assigned above`, e.loc));
          }
          assigned.add(name);
        }
      }
    }
  }
}

function isCall(t: Term, name: string): t is Extract<Term, { type: 'call' }> {
  if (t.type !== 'call') return false;
  const op = t.operator.path;
  return op.length === 1 && op[0].type === 'var' && op[0].name === name;
}

function declaredBy(e: Expr): string[] {
  const out = new Set<string>();
  if (e.type === 'some') for (const v of e.vars) out.add(v.name);
  if (e.type === 'somein') {
    if (e.key) scopeVarsOf(e.key, out);
    scopeVarsOf(e.value, out);
  }
  if (e.type === 'expr' && isCall(e.term, 'assign')) scopeVarsOf(e.term.args[0], out);
  return [...out].filter((n) => !ROOT_VARS.has(n));
}

function headTerms(rule: Rule): Term[] {
  const h = rule.head;
  const out: Term[] = [...(h.args ?? []), ...h.ref.path.slice(1)];
  if (h.key) out.push(h.key);
  if (h.value) out.push(h.value);
  return out;
}

function renameRule(state: CompileState, rule: Rule): void {
  const renamer = new Renamer(state);
  renamer.process(new Scope(null, null), rule.body, headTerms(rule), new Set());
  for (const e of rule.elses) {
    const terms = [...(rule.head.args ?? [])];
    if (e.value) terms.push(e.value);
    renamer.process(new Scope(null, null), e.body, terms, new Set());
  }
}

export const rewriteLocalsPass: CompilerPass = {
  name: 'rewrite_locals',
  run(state) {
    for (const m of state.modules) for (const r of m.rules) renameRule(state, r);
    if (state.query) new Renamer(state).process(new Scope(null, null), state.query, [], new Set());
  },
};
