import { BuiltinError, BuiltinTypeError } from '../../errors';
import { call, callJSON, set } from './call';

describe('strings', () => {
  test('concat of arrays and sets', () => {
    expect(callJSON('concat', '/', ['', 'foo', 'bar'])).toBe('/foo/bar');
    expect(callJSON('concat', ',', set('b', 'a'))).toBe('a,b');
    expect(callJSON('concat', ',', [])).toBe('');
    expect(() => call('concat', ',', [1])).toThrow('operand 2 must be array of strings but got array containing number');
  });

  test('contains, startswith, endswith', () => {
    expect(callJSON('contains', 'abc', 'b')).toBe(true);
    expect(callJSON('contains', 'abc', '')).toBe(true);
    expect(callJSON('startswith', 'abc', 'ab')).toBe(true);
    expect(callJSON('endswith', 'abc', 'bc')).toBe(true);
    expect(callJSON('endswith', 'abc', 'b')).toBe(false);
  });

  test('indexof and indexof_n count code points', () => {
    expect(callJSON('indexof', 'abcabcdef', 'cde')).toBe(5);
    expect(callJSON('indexof', 'μx', 'x')).toBe(1);
    expect(callJSON('indexof', '🍧🍨🧁🍰🍮', '🍮')).toBe(4);
    expect(callJSON('indexof', 'abc', 'z')).toBe(-1);
    expect(callJSON('indexof_n', '😇😀😇😀😇😀', '😀')).toEqual([1, 3, 5]);
    expect(callJSON('indexof_n', 'aaa', 'aa')).toEqual([0, 1]);
    expect(callJSON('indexof_n', 'dog', 'cat')).toEqual([]);
  });

  test('substring works on runes', () => {
    expect(callJSON('substring', 'abcdefgh', 2, 3)).toBe('cde');
    expect(callJSON('substring', 'aåäö', 2, -1)).toBe('äö');
    expect(callJSON('substring', '😀😁😂', 1, 1)).toBe('😁');
    expect(callJSON('substring', 'aaa', 3, -1)).toBe('');
    expect(() => call('substring', 'aaa', -1, 1)).toThrow(new BuiltinError('negative offset'));
  });

  test('lower and upper map rune by rune, like Go', () => {
    expect(callJSON('lower', 'AbCÅ')).toBe('abcå');
    expect(callJSON('upper', 'abcå')).toBe('ABCÅ');
    expect(callJSON('upper', 'ß')).toBe('ß');
    expect(callJSON('lower', 'ΟΔΟΣ')).toBe('οδοσ');
    expect(callJSON('lower', 'İ')).toBe('i');
  });

  test('replace, split and strings.reverse on runes', () => {
    expect(callJSON('replace', 'foo...bar', '..', ',,')).toBe('foo,,.bar');
    expect(callJSON('replace', 'a😀', '', '-')).toBe('-a-😀-');
    expect(callJSON('split', 'a.b.c', '.')).toEqual(['a', 'b', 'c']);
    expect(callJSON('split', 'a😀', '')).toEqual(['a', '😀']);
    expect(callJSON('split', '', ',')).toEqual(['']);
    expect(callJSON('strings.reverse', '1😀𝛾')).toBe('𝛾😀1');
    expect(callJSON('strings.reverse', '')).toBe('');
  });

  test('strings.split_n keeps the first n parts, or the last -n', () => {
    expect(callJSON('strings.split_n', 'a,b,c,d', ',', 2)).toEqual(['a', 'b']);
    expect(callJSON('strings.split_n', 'a,b,c,d', ',', -2)).toEqual(['c', 'd']);
    expect(callJSON('strings.split_n', 'a,b', ',', 5)).toEqual(['a', 'b']);
    expect(callJSON('strings.split_n', 'a,b', ',', 0)).toEqual([]);
    expect(callJSON('strings.split_n', 'a😀b', '', 2)).toEqual(['a', '😀']);
  });

  test('strings.replace_n: first pattern in key order wins, no overlaps', () => {
    expect(callJSON('strings.replace_n', { '<': '&lt;', '>': '&gt;' }, '<b>')).toBe('&lt;b&gt;');
    expect(callJSON('strings.replace_n', { foo: 'xxx', f: 'x' }, 'foobar')).toBe('xoobar');
    expect(() => call('strings.replace_n', { a: 1 }, 'a')).toThrow('operand 1 non-string value found in pattern object');
  });

  test('strings.count', () => {
    expect(callJSON('strings.count', 'cheese', 'e')).toBe(3);
    expect(callJSON('strings.count', '11111', '11')).toBe(2);
    expect(callJSON('strings.count', 'dummy', '')).toBe(6);
    expect(callJSON('strings.count', '😀', '')).toBe(2);
  });

  test('any_prefix_match / any_suffix_match over strings, arrays and sets', () => {
    expect(callJSON('strings.any_prefix_match', ['a/b', 'c'], set('x', 'a/'))).toBe(true);
    expect(callJSON('strings.any_prefix_match', 'abc', 'x')).toBe(false);
    expect(callJSON('strings.any_suffix_match', 'file.rego', ['.rego'])).toBe(true);
    expect(() => call('strings.any_prefix_match', 1, 'x')).toThrow(
      'operand 1 must be one of {string, set, array} but got number',
    );
    expect(() => call('strings.any_suffix_match', 'x', [1])).toThrow(
      'operand 2 must be array of strings but got array containing number',
    );
  });

  test('format_int truncates and validates the base', () => {
    expect(callJSON('format_int', 15.5, 16)).toBe('f');
    expect(callJSON('format_int', -255, 16)).toBe('-ff');
    expect(callJSON('format_int', 5, 2)).toBe('101');
    expect(() => call('format_int', 4.1, 199)).toThrow(BuiltinTypeError);
  });

  test('trim family, with Go cutset and space semantics', () => {
    expect(callJSON('trim', '¡¡¡foo, bar!!!', '!¡')).toBe('foo, bar');
    expect(callJSON('trim', '...foo.bar...', '.fr')).toBe('oo.ba');
    expect(callJSON('trim_left', '¡¡¡foo!', '!¡')).toBe('foo!');
    expect(callJSON('trim_right', '¡foo!!!', '!¡')).toBe('¡foo');
    expect(callJSON('trim_prefix', 'foobar', 'foo')).toBe('bar');
    expect(callJSON('trim_suffix', 'foobar', 'bar')).toBe('foo');
    expect(callJSON('trim_suffix', 'foobar', 'x')).toBe('foobar');
    expect(callJSON('trim_space', ' \t\n foo, bar \n\t\r\n')).toBe('foo, bar');
    expect(callJSON('trim_space', '\u0085\u00a0x\u3000')).toBe('x');
    expect(callJSON('trim_space', '\ufeffx')).toBe('\ufeffx');
  });

  test('template strings render values as Rego text and undefined as <undefined>', () => {
    expect(callJSON('internal.template_string', ['a=', set(1), ', b=', set(), ', c=', set('s'), ', d=', set({ k: [1, 'x'] })])).toBe(
      'a=1, b=<undefined>, c=s, d={"k": [1, "x"]}',
    );
    expect(callJSON('internal.template_string', [set(set())])).toBe('set()');
    expect(() => call('internal.template_string', [set(1, 2)])).toThrow(BuiltinError);
  });
});

describe('strings.render_template', () => {
  test('fields, numbers and missing keys', () => {
    expect(callJSON('strings.render_template', '{{.test}}', { test: 'hello world' })).toBe('hello world');
    expect(callJSON('strings.render_template', '{{.test}}', { test: 2023 })).toBe('2023');
    expect(callJSON('strings.render_template', 'test {{.foo}} {{.baz}}', { baz: 1 })).toBe('test <undefined> 1');
    expect(callJSON('strings.render_template', '{{.a.b}}', { a: { b: true } })).toBe('true');
    // Numbers reach the template as float64, printed with Go's %v.
    expect(callJSON('strings.render_template', '{{.n}} {{.m}} {{.f}}', { n: 1234567, m: -0.5, f: 1e21 })).toBe('1.234567e+06 -0.5 1e+21');
  });

  test('range, if/else, variables, functions and trim markers', () => {
    const t = '{{range $i, $name := .names}}{{if $i}},{{end}}hello {{$name}}{{end}}';
    expect(callJSON('strings.render_template', t, { names: ['rohan', 'john doe'] })).toBe('hello rohan,hello john doe');
    expect(callJSON('strings.render_template', '{{if eq .n 1}}one{{else if gt .n 1}}many{{else}}none{{end}}', { n: 5 })).toBe('many');
    expect(callJSON('strings.render_template', '{{range .xs}}[{{.}}]{{else}}empty{{end}}', { xs: [] })).toBe('empty');
    expect(callJSON('strings.render_template', 'a  {{- .x -}}  b', { x: 1 })).toBe('a1b');
    expect(callJSON('strings.render_template', '{{len .xs}} {{index .xs 1}} {{.xs}}', { xs: ['a', 'b'] })).toBe('2 b [a b]');
    expect(callJSON('strings.render_template', '{{with .o}}{{.k}}{{end}}{{/* c */}}', { o: { k: 'v' } })).toBe('v');
  });

  test('errors are built-in errors', () => {
    expect(() => call('strings.render_template', '{{.x', {})).toThrow(BuiltinError);
    expect(() => call('strings.render_template', '{{nope .x}}', { x: 1 })).toThrow('function "nope" not defined');
  });
});
