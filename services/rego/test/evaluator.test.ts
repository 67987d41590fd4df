import { compilePolicy, parseModule, fromJSON, toJSON, RegoError, RegoErrors, type EvalOptions } from '../index';

function policy(sources: string[], data: unknown = {}) {
  return compilePolicy(
    sources.map((s, i) => parseModule(s, `m${i}.rego`)),
    fromJSON(data),
  );
}

/** Runs `query` and returns the rows as plain JSON objects. */
function rows(sources: string[], query: string, opts: EvalOptions & { data?: unknown } = {}): Record<string, unknown>[] {
  return policy(sources, opts.data ?? {})
    .query(query, opts)
    .map((m) => Object.fromEntries([...m].map(([k, v]) => [k, toJSON(v)])));
}

function value(source: string, rule: string, opts: EvalOptions & { data?: unknown } = {}): unknown {
  const r = rows([source], `x := data.test.${rule}`, opts);
  return r.length === 0 ? undefined : r[0].x;
}

function errorOf(fn: () => unknown): RegoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RegoErrors) return e.errors[0];
    if (e instanceof RegoError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('complete rules', () => {
  it('takes the value of the rule whose body holds, else the default', () => {
    const src = 'package test\ndefault p := "none"\np := "big" if input.n > 10\np := "small" if input.n < 3';
    expect(value(src, 'p', { input: fromJSON({ n: 20 }) })).toBe('big');
    expect(value(src, 'p', { input: fromJSON({ n: 1 }) })).toBe('small');
    expect(value(src, 'p', { input: fromJSON({ n: 5 }) })).toBe('none');
  });

  it('follows else chains in order', () => {
    const src = 'package test\np := 1 if input.a\nelse := 2 if input.b\nelse := 3';
    expect(value(src, 'p', { input: fromJSON({ a: true }) })).toBe(1);
    expect(value(src, 'p', { input: fromJSON({ b: true }) })).toBe(2);
    expect(value(src, 'p', { input: fromJSON({}) })).toBe(3);
  });

  it('raises eval_conflict_error when two rules disagree', () => {
    const err = errorOf(() => value('package test\np := 1\np := 2 if true', 'p'));
    expect(err.code).toBe('eval_conflict_error');
    expect(err.message).toBe('complete rules must not produce multiple outputs');
  });

  it('is undefined when no body holds and there is no default', () => {
    expect(value('package test\np if input.missing', 'p')).toBeUndefined();
  });
});

describe('partial rules and ref heads', () => {
  it('collects partial sets and objects', () => {
    const src = 'package test\ns contains x if some x in [3, 1, 3]\no[k] := v if some k, v in {"a": 1, "b": 2}';
    expect(value(src, 's')).toEqual([1, 3]);
    expect(value(src, 'o')).toEqual({ a: 1, b: 2 });
  });

  it('builds nested objects from ref heads with variables and merges sibling rules', () => {
    const src = 'package test\np[q].r := i if some i, q in ["a", "b"]\np.c.r := 9';
    expect(value(src, 'p')).toEqual({ a: { r: 0 }, b: { r: 1 }, c: { r: 9 } });
  });

  it('reports conflicting keys of a partial object', () => {
    const err = errorOf(() => value('package test\np[k] := v if some v, k in ["a", "a"]', 'p'));
    expect(err.code).toBe('eval_conflict_error');
    expect(err.message).toBe('object keys must be unique');
  });

  it('looks up one key of a partial set or object', () => {
    const src = 'package test\ns contains x if some x in ["a", "b"]\nt := s["b"]\nu := s["z"]';
    expect(value(src, 't')).toBe('b');
    expect(value(src, 'u')).toBeUndefined();
  });
});

describe('functions', () => {
  it('tries every definition and unifies arguments as patterns', () => {
    const src = 'package test\nf([a, b]) := a + b\nf(x) := x if is_number(x)\np := [f([1, 2]), f(7)]';
    expect(value(src, 'p')).toEqual([3, 7]);
  });

  it('reports conflicting outputs', () => {
    const err = errorOf(() => value('package test\nf(_) := 1\nf(_) := 2\np := f(0)', 'p'));
    expect(err.message).toBe('functions must not produce multiple outputs for same inputs');
  });

  it('supports the output-argument form of built-ins and functions', () => {
    expect(value('package test\nf(x) := x * 2\np := [n, m] if { count([1, 2], n); f(4, m) }', 'p')).toEqual([2, 8]);
  });
});

describe('references into data', () => {
  it('iterates over a namespace mixing rules and base documents', () => {
    const r = rows(['package a\nr := 1'], 'data.a[k] = v', { data: { a: { base: 2 } } });
    expect(r).toEqual([
      { k: 'base', v: 2 },
      { k: 'r', v: 1 },
    ]);
  });

  it('evaluates a path with Policy.evaluate, undefined when undefined', () => {
    const p = policy(['package a.b\nallow if input.user == "alice"'], { a: { x: 1 } });
    expect(toJSON(p.evaluate(['a', 'b', 'allow'], { input: fromJSON({ user: 'alice' }) })!)).toBe(true);
    expect(p.evaluate(['a', 'b', 'allow'], { input: fromJSON({ user: 'bob' }) })).toBeUndefined();
    expect(toJSON(p.evaluate(['a'], {})!)).toEqual({ b: {}, x: 1 });
  });
});

describe('unification and assignment', () => {
  it('unifies composite terms in both directions', () => {
    expect(rows([], '[x, 2] = [1, y]')).toEqual([{ x: 1, y: 2 }]);
    expect(rows([], '{"a": x} = {"a": [1, z]}; z = 5')).toEqual([{ x: [1, 5], z: 5 }]);
  });

  it('reorders expressions so variables are bound before use', () => {
    expect(rows([], 'y = x + 1; x = 2')).toEqual([{ x: 2, y: 3 }]);
  });

  it('rejects unsafe variables and double assignment at compile time', () => {
    expect(errorOf(() => policy(['package t\np if { x > 1 }'])).code).toBe('rego_unsafe_var_error');
    expect(errorOf(() => policy(['package t\np if { x > 1 }'])).message).toBe('var x is unsafe');
    expect(errorOf(() => policy(['package t\np if { x := 1; x := 2 }'])).code).toBe('rego_compile_error');
  });

  it('rejects recursion', () => {
    const err = errorOf(() => policy(['package t\np if q\nq if p']));
    expect(err.code).toBe('rego_recursion_error');
    expect(err.message).toContain('data.t.p');
  });
});

describe('some, every, not and comprehensions', () => {
  it('every holds for all elements, and for empty collections', () => {
    const src = 'package test\np if every x in input.xs { x > 0 }';
    expect(value(src, 'p', { input: fromJSON({ xs: [1, 2] }) })).toBe(true);
    expect(value(src, 'p', { input: fromJSON({ xs: [1, -2] }) })).toBeUndefined();
    expect(value(src, 'p', { input: fromJSON({ xs: [] }) })).toBe(true);
  });

  it('negation succeeds when the expression has no solution', () => {
    const src = 'package test\np if not input.admin\nq if not data.test.r[_] == 2\nr := [1, 3]';
    expect(value(src, 'p', { input: fromJSON({}) })).toBe(true);
    expect(value(src, 'q')).toBe(true);
  });

  it('comprehensions see outer variables and keep their own local', () => {
    const src = 'package test\np := [y | some y in [1, 2, 3]; y > n] if n := 1';
    expect(value(src, 'p')).toEqual([2, 3]);
  });

  it('string templates render values and <undefined>', () => {
    expect(value('package test\np := $"{1 + 1} {input.x} {["a"]}"', 'p')).toBe('2 <undefined> ["a"]');
  });
});

describe('with', () => {
  it('replaces input and data (base and virtual) for one expression', () => {
    const src = 'package test\nr := 1\nq := [input.a, data.test.r, data.base.b]\np := v if v := q with input.a as 7 with data.test.r as 2 with data.base.b as 3';
    expect(value(src, 'p', { data: { base: { b: 0 } } })).toEqual([7, 2, 3]);
  });

  it('replaces functions and built-ins', () => {
    const src = 'package test\nf(x) := x\ng(x) := x * 10\np := [f(1), count([])] if true\nq := v if v := p with f as g with count as 5';
    expect(value(src, 'q')).toEqual([10, 5]);
  });
});

describe('built-in errors', () => {
  it('are undefined by default and eval_builtin_error in strict mode', () => {
    const src = 'package test\np := to_number("x")';
    expect(value(src, 'p')).toBeUndefined();
    expect(errorOf(() => value(src, 'p', { strictBuiltinErrors: true })).code).toBe('eval_builtin_error');
  });

  it('operand type errors are undefined by default and eval_type_error in strict mode', () => {
    const opts = { input: fromJSON({ n: 1 }) };
    expect(value('package test\np := count(input.n)', 'p', opts)).toBeUndefined();
    const err = errorOf(() => value('package test\np := count(input.n)', 'p', { ...opts, strictBuiltinErrors: true }));
    expect(err.code).toBe('eval_type_error');
    expect(err.message).toMatch(/^count: operand 1 must be/);
  });
});

describe('print, tracing and deadlines', () => {
  it('prints <undefined> for undefined operands', () => {
    const out: string[] = [];
    rows(['package test\np if { print("v:", input.missing, [1]) }'], 'data.test.p', { print: (m) => out.push(m) });
    expect(out).toEqual(['v: <undefined> [1]']);
  });

  it('hands trace notes to the tracer', () => {
    const notes: string[] = [];
    const policy = compilePolicy([parseModule('package test\np if {\n\ttrace("checking")\n\tinput.x == 1\n\ttrace(sprintf("x=%v", [input.x]))\n}', 't.rego')], fromJSON({}));
    expect(policy.evaluate(['test', 'p'], { input: fromJSON({ x: 1 }), tracer: { onNote: (n) => notes.push(n) } })).toBe(true);
    expect(notes).toEqual(['checking', 'x=1']);
  });

  it('prints nested strings Go-quoted, as sprintf does (one term formatter)', () => {
    const out: string[] = [];
    rows(['package test\np if { print("top\u0001", ["a\u0001", {"k": "é"}]) }'], 'data.test.p', { print: (m) => out.push(m) });
    expect(out).toEqual(['top\u0001 ["a\\x01", {"k": "é"}]']);
  });

  it('reports rules and expressions to a tracer', () => {
    const rules: boolean[] = [];
    const exprs: number[] = [];
    rows(['package test\np if { input.x == 1 }'], 'data.test.p', {
      input: fromJSON({ x: 2 }),
      tracer: { onRule: (_r, ok) => rules.push(ok), onExpr: (loc) => exprs.push(loc.row) },
    });
    expect(rules).toEqual([false]);
    expect(exprs).toContain(2);
  });

  it('aborts with eval_cancel_error after the deadline', () => {
    const err = errorOf(() => rows(['package test\np if true'], 'data.test.p', { deadline: performance.now() - 1 }));
    expect(err.code).toBe('eval_cancel_error');
  });

  it('checks the deadline while iterating, not only between rules', () => {
    const err = errorOf(() => rows([], 'n := count([x | some x in numbers.range(1, 1000)])', { deadline: performance.now() - 1 }));
    expect(err.code).toBe('eval_cancel_error');
  });
});

describe('imports, rule indexing and metadata', () => {
  it('resolves imports, aliases and package-relative rule names', () => {
    const lib = 'package lib.util\nis_admin(u) if u.role == "admin"';
    const main = 'package test\nimport data.lib.util\nimport data.lib.util.is_admin as admin\np := [util.is_admin(input.u), admin(input.u)]';
    expect(rows([lib, main], 'x := data.test.p', { input: fromJSON({ u: { role: 'admin' } }) })).toEqual([{ x: [true, true] }]);
  });

  it('skips rules whose indexed input condition fails, with the same answers', () => {
    const src = [
      'package test',
      'default kind := "other"',
      'kind := "call" if input.action == "tools/call"',
      'kind := "list" if { "tools/list" = input.action; input.ok }',
    ].join('\n');
    expect(value(src, 'kind', { input: fromJSON({ action: 'tools/call' }) })).toBe('call');
    expect(value(src, 'kind', { input: fromJSON({ action: 'tools/list', ok: true }) })).toBe('list');
    expect(value(src, 'kind', { input: fromJSON({ action: 'tools/list' }) })).toBe('other');
    expect(value(src, 'kind', {})).toBe('other');
  });

  it('answers rego.metadata.rule() and rego.metadata.chain() from METADATA blocks', () => {
    const src = '# METADATA\n# title: pkg\npackage test\n\n# METADATA\n# title: the rule\np := [rego.metadata.rule(), count(rego.metadata.chain())]';
    expect(value(src, 'p')).toEqual([{ title: 'the rule', scope: 'rule' }, 2]);
  });
});

describe('lazy partial rules', () => {
  const src = 'package test\np[k] := 1 if k := "a"\np[k] := 2 if k := "b"\np[k] := 3 if k := "b"\ns contains x if some x in input.xs\nq := p.a\nr := s["y"]';

  it('answers a ground key without enumerating (and failing on) the other keys', () => {
    expect(value(src, 'q')).toBe(1);
    expect(errorOf(() => value(src, 'p')).code).toBe('eval_conflict_error');
  });

  it('checks set membership for one element', () => {
    expect(value(src, 'r', { input: fromJSON({ xs: ['x', 'y'] }) })).toBe('y');
    expect(value(src, 'r', { input: fromJSON({ xs: ['x'] }) })).toBeUndefined();
  });
});

describe('built-in call checks', () => {
  it('rejects unknown functions, wrong arity and literals of the wrong type', () => {
    for (const body of ['nope(1)', 'count([1], 2, 3)', 'count(1)', 'concat(",", "ab")']) {
      expect(errorOf(() => policy([`package t\np if { ${body} }`])).code).toBe('rego_type_error');
    }
  });

  it('accepts literals a signature allows', () => {
    expect(value('package test\np := [count("ab"), count({1}), concat(",", {"a"})]', 'p')).toEqual([2, 1, 'a']);
  });
});

describe('print and inline comparisons', () => {
  it('prints one line per combination of operand values', () => {
    const out: string[] = [];
    rows(['package test\np if { print("x", [1, 2][_]) }'], 'data.test.p', { print: (m) => out.push(m) });
    expect(out).toEqual(['x 1', 'x 2']);
  });

  it('honours with-replacements of comparison operators', () => {
    expect(value('package test\nf(_, _) := true\nq if 1 > 2\np := v if v := q with gt as f', 'p')).toBe(true);
  });
});

describe('with: scoping', () => {
  it('scopes a replacement to its expression, rules evaluated outside keep their values', () => {
    const src = 'package test\nr := input.x\np := [a, b] if { a := r with input.x as 1; b := r }';
    expect(value(src, 'p', { input: fromJSON({ x: 0 }) })).toEqual([1, 0]);
  });

  it('lets a replacement function call the original it replaces', () => {
    const src = 'package test\ndouble_count(x) := count(x) * 2\np := v if v := count([1, 2]) with count as double_count';
    expect(value(src, 'p')).toBe(4);
  });

  it('iterates over a data path patched by with', () => {
    const src = 'package test\nks := [k | data.cfg[k]]\np := v if v := ks with data.cfg.b as 1';
    expect(value(src, 'p', { data: { cfg: { a: 0 } } })).toEqual(['a', 'b']);
  });
});

describe('documents', () => {
  it('gives an empty object for a package without defined rules', () => {
    expect(rows(['package a.b\np if false'], 'x := data.a')).toEqual([{ x: { b: {} } }]);
  });

  it('yields a partial object in the order its rules produce keys when iterated', () => {
    const src = 'package test\np[k] := 1 if k := "z"\np[k] := 2 if k := "a"';
    expect(rows([src], 'data.test.p[k] = v').map((r) => r.k)).toEqual(['z', 'a']);
  });

  it('unifies refs with composite operands against keys', () => {
    const src = 'package test\ns := {[1, "a"], [2, "b"]}\np := [x | s[[x, "b"]]]';
    expect(value(src, 'p')).toEqual([2]);
  });
});
