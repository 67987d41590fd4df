/**
 * Code generation for bodies and expressions. A body is compiled once (per rule clause or query)
 * into a Goal; its variables live in numbered slots of one array per invocation. Runs of
 * single-solution expressions are fused into one loop of Checks; only expressions that can yield
 * several solutions allocate continuations.
 */
import type { Body, CallTerm, Every, Expr, Location, Module, SomeIn, Term, TermExpr } from '../ast';
import { RegoError } from '../errors';
import type { BuiltinDef } from '../builtins/registry';
import { EMPTY_OBJECT, equal, ObjectValue, SetValue, type Value } from '../value';
import { metadataChain, ruleMetadata, type RuleOwner } from './metadata';
import type { RuleTree } from '../compiler/rule-tree';
import type { IndexCondition } from '../compiler/rule-index';
import { bindPattern, bindUnify, isEvaluable, iterVars, operatorName, type VarContext } from '../compiler/term-vars';
import { forEachElement, isCollection } from './deref';
import { displayText } from '../builtins/term-text';
import { compileWith } from './with';
import { inlineComparison } from './comparisons';
import { checkDeadline } from './deadline';
import { TermCompiler, type CompiledTerm, fromFn, operands } from './compile-terms';
import type { Check, EvalContext, Goal, PatFn, ProgramInfo, Slots } from './types';

export interface CodegenEnv {
  readonly vc: VarContext;
  readonly tree: RuleTree;
  readonly builtins: ReadonlyMap<string, BuiltinDef>;
  readonly program: ProgramInfo;
  readonly modules: readonly Module[];
  readonly indexConditions: WeakMap<Body, IndexCondition[]>;
}

interface CompiledExpr {
  readonly check: Check | null;
  readonly goal: Goal;
}

const HALT = () => true;

function goalOf(check: Check): Goal {
  return (s, c, k) => check(s, c) && k();
}

function expr(check: Check | null, goal?: Goal): CompiledExpr {
  return { check, goal: goal ?? goalOf(check!) };
}

export class BodyCompiler {
  private readonly slots = new Map<string, number>();
  readonly terms: TermCompiler;
  readonly vc: VarContext;

  constructor(
    readonly env: CodegenEnv,
    /** The rule being compiled (for `rego.metadata.*`); null for queries. */
    readonly owner: RuleOwner | null = null,
  ) {
    this.terms = new TermCompiler(this);
    this.vc = env.vc;
  }

  slot(name: string): number {
    let i = this.slots.get(name);
    if (i === undefined) this.slots.set(name, (i = this.slots.size));
    return i;
  }

  get slotCount(): number {
    return this.slots.size;
  }

  /** Slots of the given names (query output variables). */
  slotOf(name: string): number | undefined {
    return this.slots.get(name);
  }

  // ------------------------------------------------------------------------------------ bodies

  body(body: Body, bound: Set<string>): Goal {
    return this.compiledBody(body, bound).goal;
  }

  /**
   * A body as a Goal, and also as a plain list of Checks when every expression has at most one
   * solution (the common case for rule bodies), which callers can run without continuations.
   */
  compiledBody(body: Body, bound: Set<string>): { goal: Goal; checks: Check[] | null; locs: Location[] } {
    const compiled = body.map((e) => ({ e, c: this.expr(e, bound) }));
    const locs = body.map((e) => e.loc);
    const checks = compiled.every((x) => x.c.check !== null) ? compiled.map((x) => x.c.check!) : null;
    return { goal: this.chain(compiled), checks, locs };
  }

  private chain(compiled: { e: Expr; c: CompiledExpr }[]): Goal {
    let next: Goal | null = null;
    let i = compiled.length - 1;
    while (i >= 0) {
      if (compiled[i].c.check === null) {
        next = this.chainGoal(compiled[i].e, compiled[i].c.goal, next);
        i--;
        continue;
      }
      const run: { e: Expr; check: Check }[] = [];
      while (i >= 0 && compiled[i].c.check !== null) {
        run.unshift({ e: compiled[i].e, check: compiled[i].c.check! });
        i--;
      }
      next = this.chainChecks(run, next);
    }
    return next ?? ((_s, _c, k) => k());
  }

  private chainGoal(e: Expr, goal: Goal, rest: Goal | null): Goal {
    const loc = e.loc;
    if (rest === null) {
      return (s, c, k) => {
        if (c.tracer !== null) c.tracer.onExpr?.(loc);
        return goal(s, c, k);
      };
    }
    return (s, c, k) => {
      if (c.tracer !== null) c.tracer.onExpr?.(loc);
      return goal(s, c, () => rest(s, c, k));
    };
  }

  private chainChecks(run: { e: Expr; check: Check }[], rest: Goal | null): Goal {
    const checks = run.map((r) => r.check);
    const locs = run.map((r) => r.e.loc);
    const n = checks.length;
    const all = (s: Slots, c: EvalContext): boolean => {
      for (let i = 0; i < n; i++) {
        if (c.tracer !== null) c.tracer.onExpr?.(locs[i]);
        if (!checks[i](s, c)) return false;
      }
      return true;
    };
    if (n === 1 && rest === null) {
      const only = checks[0];
      return (s, c, k) => {
        if (c.tracer !== null) c.tracer.onExpr?.(locs[0]);
        return only(s, c) && k();
      };
    }
    if (rest === null) return (s, c, k) => all(s, c) && k();
    return (s, c, k) => all(s, c) && rest(s, c, k);
  }

  /** The constant value of a `rego.metadata.*` call, or undefined for other calls. */
  metadataCall(name: string | null): Value | undefined {
    if (name === 'rego.metadata.rule') return this.owner ? ruleMetadata(this.owner) : EMPTY_OBJECT;
    if (name === 'rego.metadata.chain') return this.owner ? metadataChain(this.owner) : [];
    return undefined;
  }

  // ------------------------------------------------------------------------------- expressions

  expr(e: Expr, bound: Set<string>): CompiledExpr {
    switch (e.type) {
      case 'some':
        return expr(() => true);
      case 'somein':
        return this.withModifiers(e, bound, () => this.someIn(e, bound));
      case 'every':
        return this.withModifiers(e, bound, () => this.every(e, bound));
      case 'expr':
        return this.withModifiers(e, bound, () => (e.negated ? this.negation(e, bound) : this.termExpr(e.term, bound)));
    }
  }

  private withModifiers(e: Exclude<Expr, { type: 'some' }>, bound: Set<string>, inner: () => CompiledExpr): CompiledExpr {
    if (e.with.length === 0) return inner();
    return { check: null, goal: compileWith(this, e.with, bound, inner) };
  }

  private negation(e: TermExpr, bound: Set<string>): CompiledExpr {
    const inner = this.termExpr(e.term, new Set(bound)).goal;
    return expr((s, c) => !inner(s, c, HALT));
  }

  private termExpr(t: Term, bound: Set<string>): CompiledExpr {
    if (t.type !== 'call') return this.truthy(this.terms.value(t, bound));
    const name = operatorName(t);
    if ((name === 'eq' || name === 'assign') && t.args.length === 2) return this.unify(t.args[0], t.args[1], bound);
    if (name === 'print' || name === 'internal.print') return this.print(name, t.args, bound);
    if (this.metadataCall(name) !== undefined) return this.truthy(this.terms.value(t, bound));
    return this.callExpr(t, bound);
  }

  private truthy(ct: CompiledTerm): CompiledExpr {
    if (ct.fn) {
      const fn = ct.fn;
      return expr((s, c) => {
        const v = fn(s, c);
        return v !== undefined && v !== false;
      });
    }
    const gen = ct.gen;
    return expr(null, (s, c, k) => gen(s, c, (v) => v !== false && k()));
  }

  /**
   * `print(a, b)`: one line per combination of the operands' values, `<undefined>` for an operand
   * without any. `internal.print([{…}, {…}])` is the same with each operand's values as a set.
   */
  private print(name: string, args: readonly Term[], bound: Set<string>): CompiledExpr {
    const asSets = name === 'internal.print' && args.length === 1 && args[0].type === 'array';
    const operands = asSets ? (args[0] as { items: Term[] }).items : args;
    const parts = operands.map((a) => this.terms.value(a, new Set(bound)));
    return expr((s, c) => {
      const texts = parts.map((p) => {
        const values: Value[] = [];
        p.gen(s, c, (v) => {
          if (asSets && v instanceof SetValue) values.push(...v.values());
          else values.push(v);
          return false;
        });
        return values.length === 0 ? ['<undefined>'] : values.map(displayText);
      });
      const line = (i: number, prefix: string[]): void => {
        if (i === texts.length) c.builtinCtx.print(prefix.join(' '));
        else for (const t of texts[i]) line(i + 1, [...prefix, t]);
      };
      line(0, []);
      return true;
    });
  }

  private callExpr(t: CallTerm, bound: Set<string>): CompiledExpr {
    const invoke = this.terms.invoker(t);
    const output = this.vc.callHasOutput(t);
    const inputs = output ? t.args.slice(0, -1) : t.args;
    const argTerms = new Array<CompiledTerm>(inputs.length);
    const iterating = inputs.map((a) => iterVars(a, bound).size > 0);
    for (const first of [true, false]) {
      inputs.forEach((a, i) => {
        if (iterating[i] === first) argTerms[i] = this.terms.value(a, bound);
      });
    }
    const evalOrder = [...inputs.keys()].sort((x, y) => Number(iterating[y]) - Number(iterating[x]));
    const outTerm = output ? t.args[t.args.length - 1] : null;
    const outSlot = outTerm && outTerm.type === 'var' && !bound.has(outTerm.name) ? this.slot(outTerm.name) : -1;
    const outPat: PatFn | null = outTerm ? this.terms.pattern(outTerm, bound) : null;
    const relation = this.terms.builtinDef(t)?.relation === true;
    const n = argTerms.length;
    const accept = (s: Slots, c: EvalContext, r: Value, k: () => boolean): boolean =>
      outPat ? outPat(s, c, r, k) : r !== false && k();
    const withResult = (s: Slots, c: EvalContext, vals: Value[], k: () => boolean): boolean => {
      const r = invoke(c, vals);
      if (r === undefined) return false;
      if (relation) return Array.isArray(r) && r.some((x) => accept(s, c, x, k));
      return accept(s, c, r, k);
    };
    if (!relation && argTerms.every((a) => a.fn) && (outPat === null || outSlot >= 0)) {
      const { consts, slots, fns } = operands(argTerms);
      const generic = (s: Slots, c: EvalContext): boolean => {
        const vals = new Array<Value>(n);
        for (let i = 0; i < n; i++) {
          const v = consts[i] !== undefined ? consts[i] : slots[i] >= 0 ? s[slots[i]] : fns[i](s, c);
          if (v === undefined) return false;
          vals[i] = v;
        }
        const r = invoke(c, vals);
        if (r === undefined) return false;
        if (outSlot >= 0) {
          s[outSlot] = r;
          return true;
        }
        return r !== false;
      };
      const inline = outPat === null && n === 2 ? inlineComparison(this.terms.builtinDef(t)) : null;
      if (inline === null) return expr(generic);
      const [left, right] = fns;
      return expr((s, c) => {
        if (c.fnOverrides !== null) return generic(s, c);
        const a = left(s, c);
        if (a === undefined) return false;
        const b = right(s, c);
        return b !== undefined && inline(a, b);
      });
    }
    const gens = argTerms.map((a) => a.gen);
    return expr(null, (s, c, k) => {
      const vals = new Array<Value>(n);
      const step = (j: number): boolean => {
        if (j === n) return withResult(s, c, vals.slice(), k);
        const i = evalOrder[j];
        return gens[i](s, c, (v) => {
          vals[i] = v;
          return step(j + 1);
        });
      };
      return step(0);
    });
  }

  // ------------------------------------------------------------------------------ unification

  unify(a: Term, b: Term, bound: Set<string>): CompiledExpr {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      if (!isEvaluable(x, bound, this.vc)) continue;
      if (!bindUnify(x, y, new Set(bound), this.vc) || !this.patternWorksAfter(x, y, bound)) continue;
      const val = this.terms.value(x, bound);
      const yIsFreeVar = y.type === 'var' && !bound.has(y.name) && y.name !== 'input' && y.name !== 'data';
      const yEvaluable = isEvaluable(y, bound, this.vc);
      if (val.fn && yIsFreeVar) {
        const fn = val.fn;
        const slot = this.slot(y.name);
        bound.add(y.name);
        return expr((s, c) => {
          const v = fn(s, c);
          if (v === undefined) return false;
          s[slot] = v;
          return true;
        });
      }
      if (val.fn && yEvaluable) {
        const other = this.terms.value(y, bound);
        if (other.fn) {
          const f1 = val.fn;
          const f2 = other.fn;
          return expr((s, c) => {
            const v = f1(s, c);
            if (v === undefined) return false;
            const w = f2(s, c);
            return w !== undefined && equal(v, w);
          });
        }
        const fn = val.fn;
        return expr(null, (s, c, k) => {
          const v = fn(s, c);
          return v !== undefined && other.gen(s, c, (w) => equal(v, w) && k());
        });
      }
      const pat = this.terms.pattern(y, bound);
      if (val.fn) {
        const fn = val.fn;
        return expr(null, (s, c, k) => {
          const v = fn(s, c);
          return v !== undefined && pat(s, c, v, k);
        });
      }
      const gen = val.gen;
      return expr(null, (s, c, k) => gen(s, c, (v) => pat(s, c, v, k)));
    }
    return this.unifyComposite(a, b, bound);
  }

  /** Whether `y` can be unified as a pattern once `x` is evaluated (mirrors bindUnify's first branch). */
  private patternWorksAfter(x: Term, y: Term, bound: Set<string>): boolean {
    const trial = new Set(bound);
    for (const v of iterVars(x, trial)) trial.add(v);
    return bindPattern(y, trial, this.vc);
  }

  private unifyComposite(a: Term, b: Term, bound: Set<string>): CompiledExpr {
    const pairs: [Term, Term][] = [];
    if (a.type === 'array' && b.type === 'array' && a.items.length === b.items.length) {
      a.items.forEach((x, i) => pairs.push([x, b.items[i]]));
    } else if (a.type === 'object' && b.type === 'object' && a.entries.length === b.entries.length) {
      for (const [k, v] of a.entries) {
        const other = b.entries.find(([k2]) => k2.type === 'scalar' && k.type === 'scalar' && k2.value === k.value);
        if (!other) return expr(() => false);
        pairs.push([v, other[1]]);
      }
    } else {
      throw new RegoError('rego_unsafe_var_error', 'var is unsafe', a.loc);
    }
    const goals = pairs.map(([x, y]) => this.unify(x, y, bound).goal);
    const n = goals.length;
    return expr(null, (s, c, k) => {
      const step = (i: number): boolean => (i === n ? k() : goals[i](s, c, () => step(i + 1)));
      return step(0);
    });
  }

  // ------------------------------------------------------------------------ some … in / every

  private someIn(e: SomeIn, bound: Set<string>): CompiledExpr {
    const coll = this.terms.value(e.collection, bound);
    const keyPat = e.key ? this.terms.pattern(e.key, bound) : null;
    const valPat = this.terms.pattern(e.value, bound);
    return expr(null, (s, c, k) =>
      coll.gen(s, c, (cv) =>
        forEachElement(cv, (key, val) => {
          checkDeadline(c);
          return keyPat ? keyPat(s, c, key, () => valPat(s, c, val, k)) : valPat(s, c, val, k);
        }),
      ),
    );
  }

  private every(e: Every, bound: Set<string>): CompiledExpr {
    const domain = this.terms.value(e.domain, bound);
    const inner = new Set(bound);
    const keyPat = e.key ? this.terms.pattern(e.key, inner) : null;
    const valPat = this.terms.pattern(e.value, inner);
    const body = this.body(e.body, inner);
    const holds = (s: Slots, c: EvalContext, key: Value, val: Value): boolean => {
      const run = () => body(s, c, HALT);
      return keyPat ? keyPat(s, c, key, () => valPat(s, c, val, run)) : valPat(s, c, val, run);
    };
    const check = (s: Slots, c: EvalContext, dv: Value) => isCollection(dv) && !forEachElement(dv, (key, val) => !holds(s, c, key, val));
    if (domain.fn) {
      const fn = domain.fn;
      return expr((s, c) => {
        const dv = fn(s, c);
        return dv !== undefined && check(s, c, dv);
      });
    }
    return expr(null, (s, c, k) => domain.gen(s, c, (dv) => check(s, c, dv) && k()));
  }

  // ---------------------------------------------------------------------------- comprehensions

  comprehension(t: Extract<Term, { type: 'arraycomp' | 'setcomp' | 'objectcomp' }>, bound: Set<string>): CompiledTerm {
    const inner = new Set(bound);
    const body = this.body(t.body, inner);
    if (t.type === 'objectcomp') {
      const key = this.terms.value(t.key, inner);
      const val = this.terms.value(t.value, inner);
      return fromFn((s, c) => {
        const out = new ObjectValue();
        body(s, c, () =>
          key.gen(s, c, (kv) =>
            val.gen(s, c, (vv) => {
              const prev = out.get(kv);
              if (prev !== undefined && !equal(prev, vv)) {
                throw new RegoError('eval_conflict_error', 'object keys must be unique', t.loc);
              }
              out.set(kv, vv);
              return false;
            }),
          ),
        );
        return out;
      });
    }
    const head = this.terms.value(t.head, inner);
    if (t.type === 'setcomp') {
      return fromFn((s, c) => {
        const out = new SetValue();
        body(s, c, () => head.gen(s, c, (v) => (out.add(v), false)));
        return out;
      });
    }
    return fromFn((s, c) => {
      const out: Value[] = [];
      body(s, c, () => head.gen(s, c, (v) => (out.push(v), false)));
      return out;
    });
  }
}

