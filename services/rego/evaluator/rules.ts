/**
 * Compiled rules: each rule clause (a body with its head, or one `else`) becomes a Clause; a node
 * combines its clauses into a NodeImpl that computes the node's document (complete and partial
 * rules) or a function's result, with OPA's conflict errors.
 */
import type { Body, Location, Rule, Term } from '../ast';
import { RegoError } from '../errors';
import { equal, SetValue, type Value } from '../value';
import type { RuleEntry, RuleNode } from '../compiler/rule-tree';
import { BodyCompiler, type CodegenEnv } from './compile-body';
import { constant, type CompiledTerm } from './compile-terms';
import { DocBuilder } from './doc-builder';
import { nodeDoc } from './data-walk';
import type { Check, EvalContext, Goal, NodeImpl, PatFn, Slots, ValueFn } from './types';
import { checkDeadline } from './deadline';

interface Clause {
  readonly rule: Rule;
  /** Where this clause is written: the rule's own location, or its `else`'s (for tracers). */
  readonly at: Location;
  readonly slots: number;
  /** Function argument patterns, or the slots of plain variable arguments (fast path). */
  readonly argPats: PatFn[] | null;
  readonly argSlots: number[] | null;
  readonly body: Goal;
  /** The body as single-solution checks, when it is only that (run without continuations). */
  readonly checks: Check[] | null;
  readonly locs: Location[];
  readonly value: CompiledTerm;
  /** Stop after the first solution: the value cannot differ between solutions. */
  readonly constant: boolean;
  readonly tail: ValueFn[];
  /** Rule index: `ref == constant` conditions of the body, checked before running it. */
  readonly guards: Guard[] | null;
}

interface Guard {
  readonly fn: ValueFn;
  readonly value: Value;
}

const NO_SLOTS: Slots = [];


/** The rule index's conditions for a body, compiled. */
function indexGuards(bc: BodyCompiler, body: Body): Guard[] | null {
  const conditions = bc.env.indexConditions.get(body);
  if (!conditions) return null;
  const guards: Guard[] = [];
  for (const cond of conditions) {
    const fn = bc.terms.value(cond.ref, new Set()).fn;
    if (fn) guards.push({ fn, value: cond.value });
  }
  return guards.length > 0 ? guards : null;
}

function guardsHold(c: EvalContext, guards: Guard[]): boolean {
  for (const g of guards) {
    const v = g.fn(NO_SLOTS, c);
    if (v === undefined || !equal(v, g.value)) return false;
  }
  return true;
}

/**
 * OPA lowers a template string to a call, and a call in a function head's arguments unifies with
 * any value (its variables are bound by the body instead), so such an argument matches anything.
 */
function argPattern(bc: BodyCompiler, arg: Term, bound: Set<string>): PatFn {
  if (arg.type === 'template') return (_s, _c, _v, k) => k();
  return bc.terms.pattern(arg, bound);
}

function compileClause(
  env: CodegenEnv,
  entry: RuleEntry,
  body: Body,
  valueTerm: Term | null,
  args: Term[] | null,
  singleValued: boolean,
  at: Location,
): Clause {
  const rule = entry.rule;
  const bc = new BodyCompiler(env, { rule, module: entry.module, modules: env.modules });
  const bound = new Set<string>();
  let argSlots: number[] | null = null;
  if (args && args.every((a, i) => a.type === 'var' && !args.slice(0, i).some((b) => b.type === 'var' && b.name === a.name))) {
    argSlots = args.map((a) => {
      const name = (a as { name: string }).name;
      bound.add(name);
      return bc.slot(name);
    });
  }
  const argPats = args && !argSlots ? args.map((a) => argPattern(bc, a, bound)) : null;
  const compiledBody = bc.compiledBody(body, bound);
  const tail = entry.tail.map((t) => {
    const ct = bc.terms.value(t, bound);
    if (!ct.fn) throw new RegoError('rego_compile_error', 'rule head refs must not iterate', t.loc);
    return ct.fn;
  });
  const value = valueTerm ? bc.terms.value(valueTerm, bound) : constant(true);
  return {
    rule,
    at,
    slots: bc.slotCount,
    argPats,
    argSlots,
    body: compiledBody.goal,
    checks: compiledBody.checks,
    locs: compiledBody.locs,
    value,
    constant: singleValued && (valueTerm === null || valueTerm.type === 'scalar'),
    tail,
    guards: indexGuards(bc, body),
  };
}

/** The main clause followed by the rule's `else` clauses. */
function compileChain(env: CodegenEnv, entry: RuleEntry, singleValued: boolean): Clause[] {
  const r = entry.rule;
  const head = r.head;
  const valueTerm = head.key ?? head.value;
  const chain = [compileClause(env, entry, r.body, valueTerm, head.args, singleValued, r.loc)];
  for (const e of r.elses) chain.push(compileClause(env, { ...entry, tail: [] }, e.body, e.value, head.args, singleValued, e.loc));
  return chain;
}

/** Runs a clause, calling `emit` for each head value; returns whether it had any solution. */
/** Receives the head values of a clause's solutions. */
interface Sink {
  emit(s: Slots, v: Value, cl: Clause): void;
}

/** The one value of a complete rule or function call; a second, different value is a conflict. */
class SingleValueSink implements Sink {
  result: Value | undefined = undefined;
  constructor(private readonly message: string) {}

  emit(_s: Slots, v: Value, cl: Clause): void {
    if (this.result === undefined) this.result = v;
    else if (!equal(this.result, v)) throw new RegoError('eval_conflict_error', this.message, cl.rule.loc);
  }
}

function runClause(c: EvalContext, cl: Clause, args: Value[] | null, sink: Sink): boolean {
  checkDeadline(c);
  // Skipping is invisible except to tracers, which must see every rule tried.
  if (cl.guards !== null && c.tracer === null && !guardsHold(c, cl.guards)) return false;
  const s: Slots = cl.slots === 0 ? NO_SLOTS : new Array(cl.slots);
  if (cl.checks !== null && cl.value.fn !== null && (args === null || cl.argSlots !== null)) {
    if (args !== null) {
      const slots = cl.argSlots!;
      if (args.length !== slots.length) return false;
      for (let i = 0; i < args.length; i++) s[slots[i]] = args[i];
    }
    return runChecks(c, cl, cl.checks, cl.value.fn, s, sink);
  }
  let found = false;
  const fn = cl.value.fn;
  const head =
    fn !== null
      ? () => {
          const v = fn(s, c);
          if (v === undefined) return false;
          found = true;
          sink.emit(s, v, cl);
          return cl.constant;
        }
      : () =>
          cl.value.gen(s, c, (v) => {
            found = true;
            sink.emit(s, v, cl);
            return cl.constant;
          });
  if (args === null) cl.body(s, c, head);
  else if (cl.argSlots) {
    if (args.length !== cl.argSlots.length) return false;
    for (let i = 0; i < args.length; i++) s[cl.argSlots[i]] = args[i];
    cl.body(s, c, head);
  } else {
    const pats = cl.argPats!;
    if (args.length !== pats.length) return false;
    const step = (i: number): boolean => (i === pats.length ? cl.body(s, c, head) : pats[i](s, c, args[i], () => step(i + 1)));
    step(0);
  }
  if (c.tracer !== null) c.tracer.onRule?.(cl.rule, found, cl.at);
  return found;
}

/** runClause for a body of single-solution checks and a single-valued head: no closures. */
function runChecks(c: EvalContext, cl: Clause, checks: Check[], value: ValueFn, s: Slots, sink: Sink): boolean {
  let found = true;
  for (let i = 0; i < checks.length; i++) {
    if (c.tracer !== null) c.tracer.onExpr?.(cl.locs[i]);
    if (!checks[i](s, c)) {
      found = false;
      break;
    }
  }
  if (found) {
    const v = value(s, c);
    if (v === undefined) found = false;
    else sink.emit(s, v, cl);
  }
  if (c.tracer !== null) c.tracer.onRule?.(cl.rule, found, cl.at);
  return found;
}

/** True when every rule yields the same constant, so the first success settles the value. */
function sameConstant(chains: Clause[][]): boolean {
  const values = chains.map((ch) => (ch.length === 1 && ch[0].rule.head.value?.type !== 'call' ? headConstant(ch[0].rule) : undefined));
  return values.every((v) => v !== undefined && equal(v, values[0]!));
}

function headConstant(rule: Rule): Value | undefined {
  const v = rule.head.value;
  if (v === null) return true;
  return v.type === 'scalar' ? v.value : undefined;
}

function singleValue(chains: Clause[][], dflt: Clause[] | null, args: Value[] | null, c: EvalContext, message: string, early: boolean): Value | undefined {
  const sink = new SingleValueSink(message);
  for (const chain of chains) {
    for (const cl of chain) {
      if (runClause(c, cl, args, sink)) break;
    }
    if (early && sink.result !== undefined) return sink.result;
  }
  if (sink.result === undefined && dflt) {
    for (const cl of dflt) {
      if (runClause(c, cl, args, sink)) break;
    }
  }
  return sink.result;
}

const NOT_A_FUNCTION = (): never => {
  throw new RegoError('eval_internal_error', 'not a function');
};

function completeImpl(chains: Clause[][], dflt: Clause[] | null): NodeImpl {
  const early = sameConstant(chains);
  return {
    doc: (c) => singleValue(chains, dflt, null, c, 'complete rules must not produce multiple outputs', early),
    call: NOT_A_FUNCTION,
    lookup: null,
  };
}

function functionImpl(chains: Clause[][], dflt: Clause[] | null): NodeImpl {
  const early = sameConstant(chains);
  return {
    doc: () => undefined,
    call: (c, args) => singleValue(chains, dflt, args, c, 'functions must not produce multiple outputs for same inputs', early),
    lookup: null,
  };
}

/** A partial rule's clause compiled with its key variable bound, to answer one key. */
interface KeyedClause {
  readonly rule: Rule;
  readonly slots: number;
  readonly keySlot: number;
  readonly body: Goal;
  /** Partial objects: the value at the key; partial sets: null (the key is the element). */
  readonly value: CompiledTerm | null;
  readonly guards: Guard[] | null;
}

function compileKeyed(env: CodegenEnv, node: RuleNode, entry: RuleEntry): KeyedClause | null {
  const rule = entry.rule;
  const head = rule.head;
  const keyTerm = node.multi ? (entry.tail.length === 0 ? head.key : null) : entry.tail.length === 1 ? entry.tail[0] : null;
  if (keyTerm === null || keyTerm.type !== 'var' || rule.elses.length > 0) return null;
  const bc = new BodyCompiler(env, { rule, module: entry.module, modules: env.modules });
  const bound = new Set([keyTerm.name]);
  const keySlot = bc.slot(keyTerm.name);
  const body = bc.body(rule.body, bound);
  const value = node.multi ? null : head.value ? bc.terms.value(head.value, bound) : constant(true);
  return { rule, slots: bc.slotCount, keySlot, body, value, guards: indexGuards(bc, rule.body) };
}

function keyedLookup(node: RuleNode, keyed: KeyedClause[]): (c: EvalContext, key: Value) => Value | undefined {
  return (c, key) => {
    let result: Value | undefined;
    for (const kc of keyed) {
      checkDeadline(c);
      if (kc.guards !== null && c.tracer === null && !guardsHold(c, kc.guards)) continue;
      const s: Slots = new Array(kc.slots);
      s[kc.keySlot] = key;
      const value = kc.value;
      const found = kc.body(s, c, () => {
        if (value === null) {
          result = key;
          return true;
        }
        return value.gen(s, c, (v) => {
          if (result === undefined) result = v;
          else if (!equal(result, v)) throw new RegoError('eval_conflict_error', 'object keys must be unique', kc.rule.loc);
          return false;
        });
      });
      if (c.tracer !== null) c.tracer.onRule?.(kc.rule, found || result !== undefined, kc.rule.loc);
      if (node.multi && result !== undefined) break;
    }
    return result;
  };
}

function genericImpl(node: RuleNode, chains: Clause[][], keyed: (KeyedClause | null)[]): NodeImpl {
  const canLookup = node.children.size === 0 && keyed.length > 0 && keyed.every((k) => k !== null);
  const rootIsSet = node.multi && chains.every((ch) => ch[0].tail.length === 0);
  return {
    doc: (c) => {
      const b = new DocBuilder(rootIsSet);
      const sink: Sink = {
        emit(s, v, cl) {
          const n = cl.tail.length;
          const keys = new Array<Value>(n);
          for (let i = 0; i < n; i++) {
            const key = cl.tail[i](s, c);
            if (key === undefined) return;
            keys[i] = key;
          }
          if (node.multi) b.add(keys, v, cl.rule.loc);
          else b.put(keys, v, cl.rule.loc);
        },
      };
      for (const chain of chains) runClause(c, chain[0], null, sink);
      mergeChildren(c, node, [], b);
      return b.root;
    },
    call: NOT_A_FUNCTION,
    lookup: canLookup ? keyedLookup(node, keyed as KeyedClause[]) : null,
  };
}

/** Rules nested below a node with partial rules (`p[x].a := …` next to `p.b.c := …`). */
function mergeChildren(c: EvalContext, node: RuleNode, prefix: Value[], b: DocBuilder): void {
  for (const [k, child] of node.children) {
    if (child.kind === 'function') continue;
    const path = [...prefix, k];
    if (child.kind === null && child.children.size > 0) {
      mergeChildren(c, child, path, b);
      continue;
    }
    const v = nodeDoc(c, child);
    if (v instanceof SetValue && child.multi) for (const x of v.values()) b.add(path, x, null);
    else if (v !== undefined) b.put(path, v, null);
  }
}

export function compileNode(env: CodegenEnv, node: RuleNode): NodeImpl {
  const single = node.kind !== 'generic';
  const chains = node.rules.map((e) => compileChain(env, e, single));
  const dflt = node.defaultRule ? compileChain(env, node.defaultRule, single) : null;
  switch (node.kind) {
    case 'function':
      return functionImpl(chains, dflt);
    case 'generic':
      return genericImpl(
        node,
        chains,
        node.rules.map((e) => compileKeyed(env, node, e)),
      );
    default:
      return completeImpl(chains, dflt);
  }
}
