/**
 * Pass: resolve names. A variable naming a rule of the module's package becomes the ref
 * `data.<pkg>.<name>`; an import alias becomes the imported ref; everything else stays a local
 * variable (or a built-in name). Nested refs are flattened (`p.q[x]` → `data.pkg.p.q[x]`).
 */
import type { Import, Module, RefTerm, Rule, Term, VarTerm } from '../ast';
import { RegoError } from '../errors';
import type { CompilerPass, CompileState } from './compile-state';
import { mapBody, mapTerm, visitTerm } from './ast-walk';

export const ROOT_VARS = new Set(['data', 'input']);

function str(value: string, loc: Term['loc']): Term {
  return { type: 'scalar', value, loc };
}

function dataRef(pkg: readonly string[], name: string, loc: Term['loc']): RefTerm {
  return {
    type: 'ref',
    path: [{ type: 'var', name: 'data', loc }, ...pkg.map((p) => str(p, loc)), str(name, loc)],
    loc,
  };
}

/** Rule names (first head segment) per package key. */
function rulesByPackage(modules: readonly Module[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = m.packagePath.join('.');
    let names = out.get(key);
    if (!names) out.set(key, (names = new Set()));
    for (const r of m.rules) {
      const head = r.head.ref.path[0];
      if (head.type === 'var') names.add(head.name);
    }
  }
  return out;
}

function importAliases(m: Module, state: CompileState): Map<string, RefTerm> {
  const out = new Map<string, RefTerm>();
  for (const imp of m.imports) {
    const root = imp.path.path[0];
    if (root.type !== 'var' || !ROOT_VARS.has(root.name)) continue;
    const alias = imp.alias ?? aliasOf(imp);
    if (alias === null) continue;
    if (out.has(alias)) {
      state.errors.push(new RegoError('rego_compile_error', `import must not shadow import ${alias}`, imp.loc));
    }
    out.set(alias, imp.path);
  }
  return out;
}

function aliasOf(imp: Import): string | null {
  const last = imp.path.path[imp.path.path.length - 1];
  if (last.type === 'var') return last.name;
  if (last.type === 'scalar' && typeof last.value === 'string') return last.value;
  return null;
}

/** Names a rule declares for itself: `some`, `:=` targets, arguments, iteration variables. */
function declaredNames(rule: Rule): Set<string> {
  const out = new Set<string>();
  const addVars = (t: Term) =>
    visitTerm(t, (x) => {
      if (x.type === 'var') out.add(x.name);
    });
  for (const a of rule.head.args ?? []) addVars(a);
  const bodies = [rule.body, ...rule.elses.map((e) => e.body)];
  for (const b of bodies) {
    collectDeclared(b, out, addVars);
  }
  return out;
}

function collectDeclared(body: Rule['body'], out: Set<string>, addVars: (t: Term) => void): void {
  for (const e of body) {
    if (e.type === 'some') for (const v of e.vars) out.add(v.name);
    if (e.type === 'somein' || e.type === 'every') {
      if (e.key) addVars(e.key);
      addVars(e.value);
    }
    if (e.type === 'every') collectDeclared(e.body, out, addVars);
    if (e.type === 'expr' && e.term.type === 'call' && isAssign(e.term.operator)) addVars(e.term.args[0]);
    const nestedBodies: Rule['body'][] = [];
    const visit = (t: Term) => {
      if (t.type === 'arraycomp' || t.type === 'setcomp' || t.type === 'objectcomp') nestedBodies.push(t.body);
    };
    if (e.type === 'expr') visitTerm(e.term, visit);
    for (const nb of nestedBodies) collectDeclared(nb, out, addVars);
  }
}

function isAssign(op: RefTerm): boolean {
  return op.path.length === 1 && op.path[0].type === 'var' && op.path[0].name === 'assign';
}

function flatten(t: Term): Term {
  if (t.type !== 'ref') return t;
  const head = t.path[0];
  if (head.type !== 'ref') return t;
  return { type: 'ref', path: [...head.path, ...t.path.slice(1)], loc: t.loc };
}

function makeResolver(
  pkg: readonly string[],
  ruleNames: ReadonlySet<string>,
  aliases: ReadonlyMap<string, RefTerm>,
  locals: ReadonlySet<string>,
): (t: Term) => Term {
  return (t) => {
    if (t.type === 'var') return resolveVar(t, pkg, ruleNames, aliases, locals);
    if (t.type === 'call') t.operator = flatten(t.operator) as RefTerm;
    return flatten(t);
  };
}

function resolveVar(
  t: VarTerm,
  pkg: readonly string[],
  ruleNames: ReadonlySet<string>,
  aliases: ReadonlyMap<string, RefTerm>,
  locals: ReadonlySet<string>,
): Term {
  if (ROOT_VARS.has(t.name) || locals.has(t.name)) return t;
  if (ruleNames.has(t.name)) return dataRef(pkg, t.name, t.loc);
  const alias = aliases.get(t.name);
  if (alias) return { type: 'ref', path: alias.path.map((p) => ({ ...p, loc: t.loc })), loc: t.loc };
  return t;
}

function resolveRule(rule: Rule, resolve: (t: Term) => Term): void {
  const head = rule.head;
  head.ref.path = [head.ref.path[0], ...head.ref.path.slice(1).map((p) => mapTerm(p, resolve))];
  if (head.key) head.key = mapTerm(head.key, resolve);
  if (head.value) head.value = mapTerm(head.value, resolve);
  mapBody(rule.body, resolve);
  for (const e of rule.elses) {
    if (e.value) e.value = mapTerm(e.value, resolve);
    mapBody(e.body, resolve);
  }
}

export const resolveRefsPass: CompilerPass = {
  name: 'resolve_refs',
  run(state) {
    const byPkg = rulesByPackage(state.modules);
    for (const m of state.modules) {
      const names = byPkg.get(m.packagePath.join('.')) ?? new Set<string>();
      const aliases = importAliases(m, state);
      for (const rule of m.rules) {
        resolveRule(rule, makeResolver(m.packagePath, names, aliases, declaredNames(rule)));
      }
    }
    if (state.query) mapBody(state.query, makeResolver([], new Set(), new Map(), new Set()));
  },
};
