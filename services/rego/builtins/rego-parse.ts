/** rego.parse_module: a module's syntax tree in OPA's JSON AST shape (no locations, as OPA's default). */
import { BuiltinError, RegoError, RegoErrors } from '../errors';
import { parseModule } from '../parser';
import { fromJSON, toJSON, type Value } from '../value';
import type { Body, Expr, Import, Module, RefTerm, Rule, Term, WithModifier } from '../ast';
import { builtin, type BuiltinDef } from './registry';
import { stringOperand } from './operands';

type Json = unknown;

function term(t: Term): Json {
  switch (t.type) {
    case 'scalar': {
      const v = t.value;
      const type = v === null ? 'null' : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : 'number';
      return { type, value: type === 'number' ? toJSON(v) : v };
    }
    case 'var':
      return { type: 'var', value: t.name };
    case 'ref':
      return { type: 'ref', value: t.path.map(term) };
    case 'array':
      return { type: 'array', value: t.items.map(term) };
    case 'set':
      return { type: 'set', value: t.items.map(term) };
    case 'object':
      return { type: 'object', value: t.entries.map(([k, v]) => [term(k), term(v)]) };
    case 'arraycomp':
      return { type: 'arraycomprehension', value: { term: term(t.head), body: body(t.body) } };
    case 'setcomp':
      return { type: 'setcomprehension', value: { term: term(t.head), body: body(t.body) } };
    case 'objectcomp':
      return { type: 'objectcomprehension', value: { key: term(t.key), value: term(t.value), body: body(t.body) } };
    case 'call':
      return { type: 'call', value: [term(t.operator), ...t.args.map(term)] };
    case 'template':
      return { type: 'templatestring', value: t.parts.map((p) => (typeof p === 'string' ? { type: 'string', value: p } : term(p))) };
  }
}

function withs(ws: WithModifier[]): Record<string, Json> {
  return ws.length ? { with: ws.map((w) => ({ target: term(w.target), value: term(w.value) })) } : {};
}

function memberCall(key: Term | null, value: Term, collection: Term): Json {
  const name = key ? 'member_3' : 'member_2';
  const operator = { type: 'ref', value: [{ type: 'var', value: 'internal' }, { type: 'string', value: name }] };
  return { type: 'call', value: [operator, ...(key ? [term(key)] : []), term(value), term(collection)] };
}

function expr(e: Expr, index: number): Json {
  switch (e.type) {
    case 'expr': {
      const terms = e.term.type === 'call' ? [term(e.term.operator), ...e.term.args.map(term)] : term(e.term);
      return { index, ...(e.negated ? { negated: true } : {}), terms, ...withs(e.with) };
    }
    case 'some':
      return { index, terms: { symbols: e.vars.map(term) } };
    case 'somein':
      return { index, terms: { symbols: [memberCall(e.key, e.value, e.collection)] }, ...withs(e.with) };
    case 'every':
      return {
        index,
        terms: { ...(e.key ? { key: term(e.key) } : {}), value: term(e.value), domain: term(e.domain), body: body(e.body) },
        ...withs(e.with),
      };
  }
}

const TRUE_BODY = [{ index: 0, terms: { type: 'boolean', value: true } }];

function body(b: Body): Json {
  return b.length ? b.map(expr) : TRUE_BODY;
}

function refName(ref: RefTerm): string {
  const last = ref.path[ref.path.length - 1];
  if (ref.path.length === 1 && last.type === 'var') return last.name;
  return last.type === 'scalar' && typeof last.value === 'string' ? last.value : '';
}

function rule(r: Rule): Json {
  const head: Record<string, Json> = { name: refName(r.head.ref), ref: r.head.ref.path.map(term) };
  if (r.head.args) head.args = r.head.args.map(term);
  if (r.head.key) head.key = term(r.head.key);
  head.value = r.head.value ? term(r.head.value) : { type: 'boolean', value: true };
  if (r.head.assign) head.assign = true;
  const out: Record<string, Json> = { ...(r.isDefault ? { default: true } : {}), head, body: body(r.body) };
  let tail = out;
  for (const e of r.elses) {
    const elseHead = { ...head, value: e.value ? term(e.value) : { type: 'boolean', value: true } };
    const next: Record<string, Json> = { head: elseHead, body: body(e.body) };
    tail.else = next;
    tail = next;
  }
  return out;
}

function importJSON(i: Import): Json {
  return { path: term(i.path), ...(i.alias ? { alias: i.alias } : {}) };
}

export function moduleJSON(m: Module): Json {
  const path = [{ type: 'var', value: 'data' }, ...m.packagePath.map((p) => ({ type: 'string', value: p }))];
  return {
    package: { path },
    ...(m.imports.length ? { imports: m.imports.map(importJSON) } : {}),
    ...(m.annotations.length ? { annotations: m.annotations.map((a) => ({ scope: a.scope, ...a.data })) } : {}),
    ...(m.rules.length ? { rules: m.rules.map(rule) } : {}),
  };
}

function parse(file: string, source: string): Value {
  let m: Module;
  try {
    m = parseModule(source, file);
  } catch (e) {
    if (e instanceof RegoErrors) throw new BuiltinError(e.message);
    if (e instanceof RegoError) throw new BuiltinError(e.format());
    throw e;
  }
  return fromJSON(moduleJSON(m));
}

export const regoParseBuiltins: BuiltinDef[] = [
  builtin({
    name: 'rego.parse_module',
    args: ['string', 'string'],
    result: { object: ['string', 'any'] },
    category: 'rego',
    impl: (args) => {
      const file = stringOperand(args[0], 1);
      return parse(file, stringOperand(args[1], 2));
    },
  }),
];
