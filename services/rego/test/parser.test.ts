import * as fs from 'fs';
import * as path from 'path';
import { parseModule, parseQuery, parseTerm } from '../parser';
import { RegoErrors } from '../errors';
import { BigNum } from '../value';
import type { Body, Expr, Module, Term, TermExpr } from '../ast';

/** Drops locations so trees compare structurally. */
function shape(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === 'loc' ? undefined : v instanceof BigNum ? `big:${v.toString()}` : v)));
}

function termOf(query: string): Term {
  const body = parseQuery(query);
  expect(body).toHaveLength(1);
  return (body[0] as TermExpr).term;
}

/** Renders a term compactly (calls as name(args)) to assert precedence and structure. */
function render(t: Term): string {
  switch (t.type) {
    case 'scalar':
      return JSON.stringify(t.value instanceof BigNum ? t.value.toString() : t.value);
    case 'var':
      return t.name;
    case 'ref':
      return t.path.map((p, i) => (i === 0 ? render(p) : p.type === 'scalar' && typeof p.value === 'string' ? `.${p.value}` : `[${render(p)}]`)).join('');
    case 'call':
      return `${render(t.operator)}(${t.args.map(render).join(', ')})`;
    case 'array':
      return `[${t.items.map(render).join(', ')}]`;
    case 'set':
      return `set(${t.items.map(render).join(', ')})`;
    case 'object':
      return `{${t.entries.map(([k, v]) => `${render(k)}: ${render(v)}`).join(', ')}}`;
    case 'arraycomp':
      return `[${render(t.head)} | ${renderBody(t.body)}]`;
    case 'setcomp':
      return `{${render(t.head)} | ${renderBody(t.body)}}`;
    case 'objectcomp':
      return `{${render(t.key)}: ${render(t.value)} | ${renderBody(t.body)}}`;
    case 'template':
      return `$"${t.parts.map((p) => (typeof p === 'string' ? p : `{${render(p)}}`)).join('')}"`;
  }
}

function renderExpr(e: Expr): string {
  switch (e.type) {
    case 'expr':
      return `${e.negated ? 'not ' : ''}${render(e.term)}${e.with.map((w) => ` with ${render(w.target)} as ${render(w.value)}`).join('')}`;
    case 'some':
      return `some ${e.vars.map(render).join(', ')}`;
    case 'somein':
      return `some ${e.key ? render(e.key) + ', ' : ''}${render(e.value)} in ${render(e.collection)}`;
    case 'every':
      return `every ${e.key ? render(e.key) + ', ' : ''}${render(e.value)} in ${render(e.domain)} { ${renderBody(e.body)} }`;
  }
}

function renderBody(b: Body): string {
  return b.map(renderExpr).join('; ');
}

function parseError(src: string, parse: (s: string) => unknown = (s) => parseModule(s, 'p.rego')): { message: string; row: number; col: number } {
  try {
    parse(src);
  } catch (e) {
    expect(e).toBeInstanceOf(RegoErrors);
    const err = (e as RegoErrors).errors[0];
    expect(err.code).toBe('rego_parse_error');
    return { message: err.message, row: err.location!.row, col: err.location!.col };
  }
  throw new Error(`expected a parse error for: ${src}`);
}

describe('operators and precedence', () => {
  it.each([
    ['1 + 2 * 3 - 4 % 5', 'minus(plus(1, mul(2, 3)), rem(4, 5))'],
    ['a | b & c == d', 'equal(or(a, and(b, c)), d)'],
    ['x in xs == y', 'internal.member_2(x, equal(xs, y))'],
    ['k, v in xs', 'internal.member_3(k, v, xs)'],
    ['a < b', 'lt(a, b)'],
    ['a >= b', 'gte(a, b)'],
    ['a != b', 'neq(a, b)'],
    ['x := (1 + 2) * 3', 'assign(x, mul(plus(1, 2), 3))'],
    ['x = y', 'eq(x, y)'],
    ['x - 1', 'minus(x, 1)'],
    ['3 - -1', 'minus(3, -1)'],
  ])('%s', (src, want) => {
    expect(render(termOf(src))).toBe(want);
  });
});

describe('terms', () => {
  it('parses refs, calls on refs and calls with refs after them', () => {
    expect(render(termOf('data.a.b[x]["c"][_]'))).toBe('data.a.b[x].c[$wildcard0]');
    expect(render(termOf('a.b.c(1, 2)'))).toBe('a.b.c(1, 2)');
    expect(render(termOf('f(x).y[0]'))).toBe('f(x).y[0]');
    expect(render(termOf('[1, 2][0]'))).toBe('[1, 2][0]');
  });

  it('turns bare root documents into refs and keeps other vars', () => {
    expect(termOf('input').type).toBe('ref');
    expect(termOf('data').type).toBe('ref');
    expect(termOf('x').type).toBe('var');
  });

  it('renames each wildcard to a fresh variable', () => {
    expect(render(termOf('_ = _'))).toBe('eq($wildcard0, $wildcard1)');
  });

  it('parses collections and comprehensions', () => {
    expect(render(termOf('set()'))).toBe('set()');
    expect(render(termOf('{}'))).toBe('{}');
    expect(render(termOf('{1, 2,}'))).toBe('set(1, 2)');
    expect(render(termOf('{"a": 1, x + 1: 2}'))).toBe('{"a": 1, plus(x, 1): 2}');
    expect(render(termOf('[x | x := 1]'))).toBe('[x | assign(x, 1)]');
    expect(render(termOf('{x | some x in xs}'))).toBe('{x | some x in xs}');
    expect(render(termOf('{k: v | v := 1\n k := 2}'))).toBe('{k: v | assign(v, 1); assign(k, 2)}');
  });

  it('keeps numbers exact', () => {
    const big = termOf('123456789012345678901234567890') as { value: unknown };
    expect(big.value).toBeInstanceOf(BigNum);
    expect((big.value as BigNum).toString()).toBe('123456789012345678901234567890');
    expect(render(termOf('-1.5e3'))).toBe('-1500');
    expect(parseError('01', parseQuery).message).toContain('leading zero');
  });

  it('decodes string escapes, surrogate pairs and raw strings', () => {
    expect(render(termOf('"a\\tb\\"\\u00e9"'))).toBe(JSON.stringify('a\tb"é'));
    expect((termOf('"\\ud83d\\ude00"') as { value: unknown }).value).toBe('😀');
    expect((termOf('`raw\\n\nx`') as { value: unknown }).value).toBe('raw\\n\nx');
    expect(parseError('"\\q"', parseQuery).message).toContain('illegal string literal');
  });

  it('parses template strings with embedded expressions and escapes', () => {
    expect(render(termOf('$"a{1 + x}b\\{c}"'))).toBe('$"a{plus(1, x)}b{c}"');
    expect(render(termOf('$`line\n{x}`'))).toBe('$"line\n{x}"');
    expect(render(termOf('$"{$"{a}"} z"'))).toBe('$"{$"{a}"} z"');
    expect(render(termOf('$"{{1}}"'))).toBe('$"{set(1)}"');
  });

  it('scopes `with` inside a template expression to a comprehension', () => {
    const t = termOf('$"{a with input as 1}"');
    expect(render(t)).toBe('$"{{$template0 | eq($template0, a) with input as 1}[$wildcard1]}"');
  });

  it('rejects assignments in template expressions', () => {
    expect(parseError('$"{x := 1}"', parseQuery).message).toContain('assignment');
  });

  it('parses input terms', () => {
    expect(render(parseTerm('{"a": [1, {2}]}'))).toBe('{"a": [1, set(2)]}');
  });
});

describe('expressions', () => {
  it('separates expressions by newlines and semicolons', () => {
    expect(renderBody(parseQuery('x := 1; y := 2\nz := 3'))).toBe('assign(x, 1); assign(y, 2); assign(z, 3)');
  });

  it('continues an expression across a newline after an operator', () => {
    expect(renderBody(parseQuery('x := 1 +\n 2'))).toBe('assign(x, plus(1, 2))');
  });

  it('requires a separator between expressions', () => {
    expect(parseError('x y', parseQuery).message).toContain('expected \\n or ;');
  });

  it('parses some, some-in, every, not and with chains', () => {
    expect(renderBody(parseQuery('some x, y'))).toBe('some x, y');
    expect(renderBody(parseQuery('some k, v in xs'))).toBe('some k, v in xs');
    expect(renderBody(parseQuery('some [a, b] in xs'))).toBe('some [a, b] in xs');
    expect(renderBody(parseQuery('every k, v in xs { v > k }'))).toBe('every k, v in xs { gt(v, k) }');
    expect(renderBody(parseQuery('not p with input.x as 1\n  with data.y as f'))).toBe('not p with input.x as 1 with data.y as f');
    expect(parseError('not some x in y', parseQuery).message).toContain("illegal negation of 'some'");
  });

  it('requires adjacency for refs and calls', () => {
    expect(parseError('f (x)', parseQuery).message).toContain('expected \\n or ;');
  });
});

describe('modules', () => {
  const mod = (src: string): Module => parseModule(src, 'm.rego');

  it('parses package and imports', () => {
    const m = mod('package a.b["c-d"]\nimport rego.v1\nimport future.keywords.in\nimport data.x.y as z\nimport input.q\n');
    expect(m.packagePath).toEqual(['a', 'b', 'c-d']);
    expect(m.imports.map((i) => [render(i.path), i.alias])).toEqual([
      ['rego.v1', null],
      ['future.keywords.in', null],
      ['data.x.y', 'z'],
      ['input.q', null],
    ]);
  });

  it('rejects imports of unknown roots and ending in keywords', () => {
    expect(parseError('package a\nimport foo.bar').message).toContain('unexpected import path');
    expect(parseError('package a\nimport data.foo.if').message).toContain('must not end with a keyword');
    expect(parseError('package a\nimport future.keywords.foo').message).toContain('unexpected keyword');
    expect(parseError('package a\nimport future.stuff').message).toContain('invalid import');
    expect(parseError('package a\nimport rego.v2').message).toContain('must be `rego.v1`');
    expect(() => parseModule('package a\nimport future.keywords\nimport future.keywords.every\n', 'm.rego')).not.toThrow();
  });

  it('parses the rule forms', () => {
    const m = mod(`package t
p := 1
q = 2 if true
r if { input.x }
s contains x if { some x in [1] }
o[k] := v if { k := "a"; v := 1 }
a.b[x].c := 1 if x := 2
f(x, _) := y if { y := x }
g(x) if x > 1
default h := {"a": [1]}
`);
    const heads = m.rules.map((r) => ({
      ref: render(r.head.ref),
      args: r.head.args?.map(render) ?? null,
      key: r.head.key ? render(r.head.key) : null,
      value: r.head.value ? render(r.head.value) : null,
      assign: r.head.assign,
      isDefault: r.isDefault,
      body: renderBody(r.body),
    }));
    expect(heads).toEqual([
      { ref: 'p', args: null, key: null, value: '1', assign: true, isDefault: false, body: 'true' },
      { ref: 'q', args: null, key: null, value: '2', assign: false, isDefault: false, body: 'true' },
      { ref: 'r', args: null, key: null, value: 'true', assign: false, isDefault: false, body: 'input.x' },
      { ref: 's', args: null, key: 'x', value: null, assign: false, isDefault: false, body: 'some x in [1]' },
      { ref: 'o[k]', args: null, key: null, value: 'v', assign: true, isDefault: false, body: 'assign(k, "a"); assign(v, 1)' },
      { ref: 'a.b[x].c', args: null, key: null, value: '1', assign: true, isDefault: false, body: 'assign(x, 2)' },
      { ref: 'f', args: ['x', '$wildcard0'], key: null, value: 'y', assign: true, isDefault: false, body: 'assign(y, x)' },
      { ref: 'g', args: ['x'], key: null, value: 'true', assign: false, isDefault: false, body: 'gt(x, 1)' },
      { ref: 'h', args: null, key: null, value: '{"a": [1]}', assign: true, isDefault: true, body: '' },
    ]);
    expect(m.rules[0].loc).toEqual({ file: 'm.rego', row: 2, col: 1 });
  });

  it('parses else chains with and without values and bodies', () => {
    const m = mod('package t\np := 1 if {\n  false\n} else = 2 if {\n  false\n} else if true else := 4\n');
    const r = m.rules[0];
    expect(r.elses.map((e) => [e.value ? render(e.value) : null, renderBody(e.body)])).toEqual([
      ['2', 'false'],
      ['true', 'true'],
      ['4', 'true'],
    ]);
    expect(r.endRow).toBe(6);
  });

  it('reads `if {k: v | …}` as a one-literal body', () => {
    const m = mod('package t\nf(x) := 1 if {k: i | k := ["a"][i]}\n');
    expect(m.rules[0].body).toHaveLength(1);
    expect(m.rules[0].body[0].type).toBe('expr');
  });

  it('accepts keywords as ref heads and operands', () => {
    const m = mod('package foo.else.bar\nimport data.foo.if as x\nelse.foo := 1\nfoo.not := 2\np if {\n  true.foo == 1\n  data.foo.if.bar == 2\n}\nq := contains("abc", "b")\n');
    expect(m.packagePath).toEqual(['foo', 'else', 'bar']);
    expect(m.rules.map((r) => render(r.head.ref))).toEqual(['else.foo', 'foo.not', 'p', 'q']);
    expect(renderBody(m.rules[2].body)).toBe('equal(true.foo, 1); equal(data.foo.if.bar, 2)');
    expect(render(m.rules[3].head.value!)).toBe('contains("abc", "b")');
  });

  it('attaches METADATA annotations to the package and rules', () => {
    const m = mod('# METADATA\n# title: pkg\n# scope: subpackages\npackage t\n\n# METADATA\n# title: rule p\n# custom:\n#   severity: high\np := 1\n');
    expect(m.annotations.map((a) => [a.scope, a.data.title])).toEqual([['subpackages', 'pkg']]);
    expect(m.rules[0].annotations?.map((a) => [a.scope, a.data])).toEqual([
      ['rule', { title: 'rule p', custom: { severity: 'high' }, scope: 'rule' }],
    ]);
  });

  it('normalises METADATA authors and related resources as OPA does', () => {
    const m = mod('package t\n\n# METADATA\n# authors:\n# - Jane Doe <jane@example.com>\n# - The OPA contributors\n# related_resources:\n# - https://example.com\np := 1\n');
    expect(m.rules[0].annotations?.[0].data).toEqual({
      authors: [{ name: 'Jane Doe', email: 'jane@example.com' }, { name: 'The OPA contributors' }],
      related_resources: [{ ref: 'https://example.com' }],
      scope: 'rule',
    });
  });

  it('reports bad METADATA YAML as a parse error', () => {
    expect(parseError('package t\n# METADATA\n# title: [unclosed\np := 1\n').message).toMatch(/yaml/);
  });

  it('rejects v0-only syntax', () => {
    expect(parseError('package t\np { true }').message).toBe('`if` keyword is required before rule body');
    expect(parseError('package t\np[x] { x := 1 }').message).toBe('`contains` keyword is required for partial set rules');
    expect(parseError('package t\np := 1 if { true } else = 2 { true }').message).toBe('`if` keyword is required before rule body');
  });

  it('rejects bad default rules and else on multi-value rules', () => {
    expect(parseError('package t\ndefault p := input.x').message).toContain('default rule');
    expect(parseError('package t\np contains 1 if { true } else := 2').message).toContain('multi-value');
  });

  it('reports the errors of several statements in one run', () => {
    try {
      parseModule('package t\n\np { true }\n\nq[x] { x := 1 }\n\nok := 1\n\nr := [1,\n', 'm.rego');
      throw new Error('expected errors');
    } catch (e) {
      expect(e).toBeInstanceOf(RegoErrors);
      expect((e as RegoErrors).errors.map((x) => [x.location?.row, x.message])).toEqual([
        [3, '`if` keyword is required before rule body'],
        [5, '`contains` keyword is required for partial set rules'],
        [10, 'unexpected eof token'],
      ]);
    }
  });

  it('reports positions of syntax errors', () => {
    const err = parseError('package t\n\np := [1, 2\nq := 1');
    expect(err.row).toBe(4);
    expect(err.message).toContain('expected , or ]');
  });

  it('accepts a byte-order mark and CRLF line endings', () => {
    const m = mod('\ufeffpackage t\r\n\r\np if {\r\n  input.a\r\n  input.b # note\r\n}\r\n');
    expect(renderBody(m.rules[0].body)).toBe('input.a; input.b');
  });

  it('never crashes on pathological input', () => {
    const deep = 'package t\np := ' + '['.repeat(20000) + ']'.repeat(20000);
    expect(parseError(deep).message).toBeTruthy();
    for (const junk of ['', 'package', 'package t\np :=', 'package t\n$', 'package t\np := "unterminated', 'package t\np := $"{', '}{']) {
      expect(parseError(junk).message).toBeTruthy();
    }
  });

  it('parses a large module quickly enough to be used at load time', () => {
    const rules = Array.from({ length: 500 }, (_, i) => `r${i} contains msg if {\n  some x in input.items\n  x.v > ${i}\n  msg := sprintf("%v", [x])\n}\n`);
    const src = `package big\n${rules.join('\n')}`;
    const m = parseModule(src, 'big.rego');
    expect(m.rules).toHaveLength(500);
  });
});

const CONFORMANCE = path.resolve(__dirname, '../../../../shared/conformance/v1');

describe('conformance modules', () => {
  if (!fs.existsSync(CONFORMANCE)) {
    it.skip(`skipped: ${CONFORMANCE} is absent`, () => undefined);
    console.log(`parser conformance test skipped: ${CONFORMANCE} not found`);
    return;
  }

  it('parses every module, query and input term whose case does not expect a parse error', () => {
    const failures: string[] = [];
    let parsed = 0;
    for (const category of fs.readdirSync(CONFORMANCE)) {
      for (const file of fs.readdirSync(path.join(CONFORMANCE, category))) {
        if (!file.endsWith('.json')) continue;
        const cases = JSON.parse(fs.readFileSync(path.join(CONFORMANCE, category, file), 'utf8')).cases as {
          note: string;
          query: string;
          modules?: string[];
          input_term?: string;
          want_error_code?: string;
        }[];
        for (const c of cases) {
          if (c.want_error_code === 'rego_parse_error') continue;
          const attempts: (() => unknown)[] = (c.modules ?? []).map((m, i) => () => parseModule(m, `module${i}.rego`));
          attempts.push(() => parseQuery(c.query));
          if (c.input_term !== undefined) attempts.push(() => parseTerm(c.input_term!));
          for (const attempt of attempts) {
            try {
              attempt();
              parsed++;
            } catch (e) {
              failures.push(`${c.note}: ${String(e)}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(parsed).toBeGreaterThan(3000);
  });
});

describe('tree shape', () => {
  it('is plain data with locations on every node', () => {
    const m = parseModule('package t\np := x if { x := [1] }', 'f.rego');
    const json = JSON.stringify(m);
    expect(json).toContain('"file":"f.rego"');
    expect(shape(m)).toMatchObject({ packagePath: ['t'], file: 'f.rego' });
  });
});
