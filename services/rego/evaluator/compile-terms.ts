/**
 * Code generation for terms: each term becomes a ValueFn when it cannot iterate (given the vars
 * bound at its position) and always a GenFn; patterns become PatFns. `bound` is threaded through
 * in evaluation order and updated with the vars each term binds, mirroring compiler/term-vars.
 */
import type { CallTerm, RefTerm, Term } from '../ast';
import { RegoError } from '../errors';
import { equal, ObjectValue, SetValue, type Value } from '../value';
import { ROOT_VARS } from '../compiler/resolve-refs';
import { findNode, type RuleNode } from '../compiler/rule-tree';
import { isEvaluable, operatorName } from '../compiler/term-vars';
import { deref } from './deref';
import { lookupNode, nodeDoc, walkNode, walkValue, type Step } from './data-walk';
import { displayText } from '../builtins/term-text';
import { invokeBuiltin, invokeFunction } from './call-builtin';
import { inlineComparison } from './comparisons';
import type { BodyCompiler } from './compile-body';
import type { EvalContext, GenFn, PatFn, ValueFn } from './types';

export interface CompiledTerm {
  /** Set when the term yields at most one value. */
  readonly fn: ValueFn | null;
  readonly gen: GenFn;
  /**
   * Set for a constant, and `slot` for a plain variable: hot consumers read these directly
   * instead of calling `fn` (a call per operand adds up over a decision's hundreds of terms).
   */
  readonly constValue?: Value;
  readonly slot?: number;
}

export function fromFn(fn: ValueFn): CompiledTerm {
  return {
    fn,
    gen: (s, c, k) => {
      const v = fn(s, c);
      return v !== undefined && k(v);
    },
  };
}

export function constant(v: Value): CompiledTerm {
  return { ...fromFn(() => v), constValue: v };
}

/**
 * How hot code reads single-valued operands: `consts[i]` when defined, else slot `slots[i]` when
 * not negative, else `fns[i](s, c)`.
 */
export interface Operands {
  readonly consts: readonly (Value | undefined)[];
  readonly slots: readonly number[];
  readonly fns: readonly ValueFn[];
}

export function operands(terms: readonly CompiledTerm[]): Operands {
  return {
    consts: terms.map((t) => t.constValue),
    slots: terms.map((t) => t.slot ?? -1),
    fns: terms.map((t) => t.fn!),
  };
}

export function internalError(message: string, t: { loc: Term['loc'] }): RegoError {
  return new RegoError('eval_internal_error', message, t.loc);
}

/** Combines part values into one (arrays, objects, call arguments…), iterating when a part does. */
export function combine(parts: readonly CompiledTerm[], build: (vals: Value[]) => Value | undefined): CompiledTerm {
  const n = parts.length;
  if (parts.every((p) => p.fn !== null)) {
    const { consts, slots, fns } = operands(parts);
    return fromFn((s, c) => {
      const vals = new Array<Value>(n);
      for (let i = 0; i < n; i++) {
        const v = consts[i] !== undefined ? consts[i] : slots[i] >= 0 ? s[slots[i]] : fns[i](s, c);
        if (v === undefined) return undefined;
        vals[i] = v;
      }
      return build(vals);
    });
  }
  const gens = parts.map((p) => p.gen);
  return {
    fn: null,
    gen: (s, c, k) => {
      const vals = new Array<Value>(n);
      const step = (i: number): boolean => {
        if (i === n) {
          const r = build(vals.slice());
          return r !== undefined && k(r);
        }
        return gens[i](s, c, (v) => {
          vals[i] = v;
          return step(i + 1);
        });
      };
      return step(0);
    },
  };
}

export class TermCompiler {
  constructor(private readonly bc: BodyCompiler) {}

  value(t: Term, bound: Set<string>): CompiledTerm {
    switch (t.type) {
      case 'scalar':
        return constant(t.value);
      case 'var':
        return this.variable(t.name, bound, t);
      case 'ref':
        return this.ref(t, bound);
      case 'array':
        return combine(
          t.items.map((i) => this.value(i, bound)),
          (vals) => vals,
        );
      case 'set':
        return combine(
          t.items.map((i) => this.value(i, bound)),
          (vals) => SetValue.of(vals),
        );
      case 'object': {
        const parts: CompiledTerm[] = [];
        for (const [k, v] of t.entries) parts.push(this.value(k, bound), this.value(v, bound));
        return combine(parts, (vals) => {
          const o = new ObjectValue();
          for (let i = 0; i < vals.length; i += 2) o.set(vals[i], vals[i + 1]);
          return o;
        });
      }
      case 'call':
        return this.call(t, bound);
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp':
        return this.bc.comprehension(t, bound);
      case 'template':
        return this.template(t.parts, bound);
    }
  }

  private variable(name: string, bound: Set<string>, t: Term): CompiledTerm {
    if (name === 'input') return fromFn((_s, c) => c.input);
    if (name === 'data') return fromFn((_s, c) => nodeDoc(c, c.root));
    if (!bound.has(name)) throw internalError(`var ${name} is unbound`, t);
    const slot = this.bc.slot(name);
    return { ...fromFn((s) => s[slot]), slot };
  }

  /** Template parts each take their first value; an undefined part reads `<undefined>`. */
  private template(parts: readonly (string | Term)[], bound: Set<string>): CompiledTerm {
    const compiled = parts.map((p) => (typeof p === 'string' ? p : this.value(p, bound)));
    return fromFn((s, c) => {
      let out = '';
      for (const p of compiled) {
        if (typeof p === 'string') {
          out += p;
          continue;
        }
        let v: Value | undefined = p.fn ? p.fn(s, c) : undefined;
        if (!p.fn) {
          p.gen(s, c, (x) => {
            v = x;
            return true;
          });
        }
        out += displayText(v);
      }
      return out;
    });
  }

  // ------------------------------------------------------------------------------------ refs

  private steps(ops: readonly Term[], bound: Set<string>): Step[] {
    return ops.map((op): Step => {
      if (op.type === 'var' && !ROOT_VARS.has(op.name) && !bound.has(op.name)) {
        bound.add(op.name);
        return { kind: 'iter', slot: this.bc.slot(op.name) };
      }
      if (isEvaluable(op, bound, this.bc.vc)) {
        const ct = this.value(op, bound);
        return ct.fn ? { kind: 'key', fn: ct.fn, value: ct.constValue } : { kind: 'gen', gen: ct.gen };
      }
      return { kind: 'pattern', pat: this.pattern(op, bound) };
    });
  }

  ref(t: RefTerm, bound: Set<string>): CompiledTerm {
    const head = t.path[0];
    const ops = t.path.slice(1);
    if (head.type === 'var' && head.name === 'data') return this.dataRef(ops, bound);
    let base: CompiledTerm;
    if (head.type === 'var' && head.name === 'input') base = fromFn((_s, c) => c.input);
    else base = this.value(head, bound);
    const steps = this.steps(ops, bound);
    if (steps.length === 0) return base;
    if (base.fn && steps.every((st) => st.kind === 'key')) {
      const baseFn = base.fn;
      const baseSlot = base.slot ?? -1;
      const keySteps = steps as Extract<Step, { kind: 'key' }>[];
      const keys = keySteps.map((st) => st.fn);
      const consts = keySteps.map((st) => st.value);
      return fromFn((s, c) => {
        let v = baseSlot >= 0 ? s[baseSlot] : baseFn(s, c);
        for (let i = 0; v !== undefined && i < keys.length; i++) {
          const key = consts[i] !== undefined ? consts[i] : keys[i](s, c);
          v = key === undefined ? undefined : deref(v, key);
        }
        return v;
      });
    }
    return {
      fn: null,
      gen: (s, c, k) => base.gen(s, c, (v) => walkValue(s, c, v, steps, 0, k)),
    };
  }

  private dataRef(ops: readonly Term[], bound: Set<string>): CompiledTerm {
    const tree = this.bc.env.tree;
    let node: RuleNode = tree.root;
    let consumed = 0;
    while (consumed < ops.length && node.kind === null) {
      const op = ops[consumed];
      if (op.type !== 'scalar' || typeof op.value !== 'string') break;
      const child = node.children.get(op.value);
      if (!child) break;
      node = child;
      consumed++;
    }
    const steps = this.steps(ops, bound);
    const start = node;
    const from = consumed;
    const gen: GenFn = (s, c, k) =>
      c.dataPatched ? walkNode(s, c, c.root, steps, 0, k) : walkNode(s, c, start, steps, from, k);
    if (!steps.every((st) => st.kind === 'key')) return { fn: null, gen };
    return fromFn((s, c) => (c.dataPatched ? lookupNode(s, c, c.root, steps, 0) : lookupNode(s, c, start, steps, from)));
  }

  // ----------------------------------------------------------------------------------- calls

  /** A call used as a value: its result (relations yield each of their results). */
  call(t: CallTerm, bound: Set<string>): CompiledTerm {
    const metadata = this.bc.metadataCall(operatorName(t));
    if (metadata !== undefined) return constant(metadata);
    const invoke = this.invoker(t);
    const argTerms = t.args.map((a) => this.value(a, bound));
    const args = combine(argTerms, (vals) => vals);
    const def = this.builtinDef(t);
    const inline = argTerms.length === 2 && argTerms.every((a) => a.fn) ? inlineComparison(def) : null;
    if (inline !== null && args.fn) {
      const [left, right] = argTerms.map((a) => a.fn!);
      const argsFn = args.fn;
      return fromFn((s, c) => {
        if (c.fnOverrides !== null) {
          const vals = argsFn(s, c);
          return vals === undefined ? undefined : invoke(c, vals as Value[]);
        }
        const a = left(s, c);
        if (a === undefined) return undefined;
        const b = right(s, c);
        return b === undefined ? undefined : inline(a, b);
      });
    }
    if (def?.relation) {
      return {
        fn: null,
        gen: (s, c, k) =>
          args.gen(s, c, (vals) => {
            const r = invoke(c, vals as Value[]);
            return Array.isArray(r) && r.some((x) => k(x));
          }),
      };
    }
    if (args.fn) {
      const argsFn = args.fn;
      return fromFn((s, c) => {
        const vals = argsFn(s, c);
        return vals === undefined ? undefined : invoke(c, vals as Value[]);
      });
    }
    return { fn: null, gen: (s, c, k) => args.gen(s, c, (vals) => {
      const r = invoke(c, vals as Value[]);
      return r !== undefined && k(r);
    }) };
  }

  builtinDef(t: CallTerm) {
    const name = operatorName(t);
    return name === null || name.startsWith('data.') ? undefined : this.bc.env.builtins.get(name);
  }

  /** How to run the call's target: a function rule or a built-in. */
  invoker(t: CallTerm): (c: EvalContext, args: Value[]) => Value | undefined {
    const name = operatorName(t);
    if (name === null) throw internalError('call of a non-function', t);
    const loc = t.loc;
    if (name.startsWith('data.')) {
      const node = findNode(this.bc.env.tree, name.split('.').slice(1));
      if (!node || node.kind !== 'function') throw new RegoError('rego_type_error', `undefined function ${name}`, loc);
      return (c, args) => invokeFunction(c, node, name, args, loc);
    }
    const def = this.bc.env.builtins.get(name);
    if (!def) throw new RegoError('rego_type_error', `undefined function ${name}`, loc);
    return (c, args) => invokeBuiltin(c, def, args, loc);
  }

  // -------------------------------------------------------------------------------- patterns

  pattern(t: Term, bound: Set<string>): PatFn {
    switch (t.type) {
      case 'var': {
        if (ROOT_VARS.has(t.name)) break;
        const slot = this.bc.slot(t.name);
        if (bound.has(t.name)) return (s, _c, v, k) => equal(s[slot] as Value, v) && k();
        bound.add(t.name);
        return (s, _c, v, k) => {
          s[slot] = v;
          return k();
        };
      }
      case 'array':
        if (!isEvaluable(t, bound, this.bc.vc)) return this.arrayPattern(t.items.map((i) => this.pattern(i, bound)));
        break;
      case 'object':
        if (!isEvaluable(t, bound, this.bc.vc)) return this.objectPattern(t.entries, bound);
        break;
    }
    const ct = this.value(t, bound);
    if (ct.fn) {
      const fn = ct.fn;
      return (s, c, v, k) => {
        const w = fn(s, c);
        return w !== undefined && equal(w, v) && k();
      };
    }
    return (s, c, v, k) => ct.gen(s, c, (w) => equal(w, v) && k());
  }

  private arrayPattern(items: PatFn[]): PatFn {
    const n = items.length;
    return (s, c, v, k) => {
      if (!Array.isArray(v) || v.length !== n) return false;
      const step = (i: number): boolean => (i === n ? k() : items[i](s, c, v[i], () => step(i + 1)));
      return step(0);
    };
  }

  private objectPattern(entries: readonly [Term, Term][], bound: Set<string>): PatFn {
    const keys: ValueFn[] = [];
    const vals: PatFn[] = [];
    for (const [k, v] of entries) {
      const kc = this.value(k, bound);
      if (!kc.fn) throw internalError('object pattern keys must not iterate', k);
      keys.push(kc.fn);
      vals.push(this.pattern(v, bound));
    }
    const n = entries.length;
    return (s, c, v, k) => {
      if (!(v instanceof ObjectValue) || v.size !== n) return false;
      const step = (i: number): boolean => {
        if (i === n) return k();
        const key = keys[i](s, c);
        const x = key === undefined ? undefined : v.get(key);
        return x !== undefined && vals[i](s, c, x, () => step(i + 1));
      };
      return step(0);
    };
  }
}

