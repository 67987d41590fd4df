/**
 * Generic traversal of the syntax tree, shared by the compiler passes. Passes own a deep copy of
 * the modules (see `cloneAst`), so they may rewrite nodes in place.
 */
import type { Body, Expr, Term, WithModifier } from '../ast';

/** Deep copy of plain AST data; class instances (big numbers) are immutable and shared. */
export function cloneAst<T>(node: T): T {
  if (Array.isArray(node)) return node.map(cloneAst) as T;
  if (node === null || typeof node !== 'object') return node;
  if (Object.getPrototypeOf(node) !== Object.prototype) return node;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) copy[k] = cloneAst(v);
  return copy as T;
}

/** Rewrites every term bottom-up (children first); `fn` returns the replacement. */
export function mapTerm(t: Term, fn: (t: Term) => Term): Term {
  switch (t.type) {
    case 'ref':
      t.path = t.path.map((p) => mapTerm(p, fn));
      break;
    case 'array':
    case 'set':
      t.items = t.items.map((i) => mapTerm(i, fn));
      break;
    case 'object':
      t.entries = t.entries.map(([k, v]) => [mapTerm(k, fn), mapTerm(v, fn)]);
      break;
    case 'arraycomp':
    case 'setcomp':
      t.head = mapTerm(t.head, fn);
      mapBody(t.body, fn);
      break;
    case 'objectcomp':
      t.key = mapTerm(t.key, fn);
      t.value = mapTerm(t.value, fn);
      mapBody(t.body, fn);
      break;
    case 'call':
      t.operator = mapTerm(t.operator, fn) as typeof t.operator;
      t.args = t.args.map((a) => mapTerm(a, fn));
      break;
    case 'template':
      t.parts = t.parts.map((p) => (typeof p === 'string' ? p : mapTerm(p, fn)));
      break;
  }
  return fn(t);
}

export function mapBody(body: Body, fn: (t: Term) => Term): void {
  for (const e of body) mapExpr(e, fn);
}

function mapWith(ws: WithModifier[], fn: (t: Term) => Term): void {
  for (const w of ws) {
    w.target = mapTerm(w.target, fn) as typeof w.target;
    w.value = mapTerm(w.value, fn);
  }
}

export function mapExpr(e: Expr, fn: (t: Term) => Term): void {
  switch (e.type) {
    case 'expr':
      e.term = mapTerm(e.term, fn);
      mapWith(e.with, fn);
      break;
    case 'some':
      break;
    case 'somein':
      if (e.key) e.key = mapTerm(e.key, fn);
      e.value = mapTerm(e.value, fn);
      e.collection = mapTerm(e.collection, fn);
      mapWith(e.with, fn);
      break;
    case 'every':
      if (e.key) e.key = mapTerm(e.key, fn);
      e.value = mapTerm(e.value, fn);
      e.domain = mapTerm(e.domain, fn);
      mapBody(e.body, fn);
      mapWith(e.with, fn);
      break;
  }
}

/** Calls `fn` for every term, top-down, including nested bodies. */
export function visitTerm(t: Term, fn: (t: Term) => void): void {
  fn(t);
  switch (t.type) {
    case 'ref':
      for (const p of t.path) visitTerm(p, fn);
      break;
    case 'array':
    case 'set':
      for (const i of t.items) visitTerm(i, fn);
      break;
    case 'object':
      for (const [k, v] of t.entries) {
        visitTerm(k, fn);
        visitTerm(v, fn);
      }
      break;
    case 'arraycomp':
    case 'setcomp':
      visitTerm(t.head, fn);
      visitBody(t.body, fn);
      break;
    case 'objectcomp':
      visitTerm(t.key, fn);
      visitTerm(t.value, fn);
      visitBody(t.body, fn);
      break;
    case 'call':
      visitTerm(t.operator, fn);
      for (const a of t.args) visitTerm(a, fn);
      break;
    case 'template':
      for (const p of t.parts) if (typeof p !== 'string') visitTerm(p, fn);
      break;
  }
}

export function visitBody(body: Body, fn: (t: Term) => void): void {
  for (const e of body) visitExpr(e, fn);
}

export function visitExpr(e: Expr, fn: (t: Term) => void): void {
  switch (e.type) {
    case 'expr':
      visitTerm(e.term, fn);
      break;
    case 'some':
      for (const v of e.vars) visitTerm(v, fn);
      return;
    case 'somein':
      if (e.key) visitTerm(e.key, fn);
      visitTerm(e.value, fn);
      visitTerm(e.collection, fn);
      break;
    case 'every':
      if (e.key) visitTerm(e.key, fn);
      visitTerm(e.value, fn);
      visitTerm(e.domain, fn);
      visitBody(e.body, fn);
      break;
  }
  for (const w of e.with) {
    visitTerm(w.target, fn);
    visitTerm(w.value, fn);
  }
}

/** The ref's path as strings when every operand after the head is a string literal. */
export function groundStringPath(path: readonly Term[], from = 1): string[] | null {
  const out: string[] = [];
  for (let i = from; i < path.length; i++) {
    const p = path[i];
    if (p.type !== 'scalar' || typeof p.value !== 'string') return null;
    out.push(p.value);
  }
  return out;
}

/** `data.a.b` as ['data','a','b'] / a builtin name `io.jwt.decode` as its parts, else null. */
export function refNameParts(t: Term): string[] | null {
  if (t.type === 'var') return [t.name];
  if (t.type !== 'ref' || t.path[0].type !== 'var') return null;
  const rest = groundStringPath(t.path);
  return rest ? [t.path[0].name, ...rest] : null;
}
