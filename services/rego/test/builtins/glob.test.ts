import { BuiltinError } from '../../errors';
import { call, callJSON } from './call';
import { globToRE2 } from '../../builtins/glob';
import { starGlob } from '../../builtins/star-glob';

const match = (pattern: string, delims: string[] | null, s: string): unknown => callJSON('glob.match', pattern, delims, s);

describe('glob.match', () => {
  test('delimiters: [] means ["."], null means none', () => {
    expect(match('*', [], 'foo')).toBe(true);
    expect(match('*', ['.'], 'foo.bar')).toBe(false);
    expect(match('*', [], 'foo.bar')).toBe(false);
    expect(match('*', null, 'foo.bar')).toBe(true);
    expect(match('*:github:com', [':'], 'api:github:com')).toBe(true);
    expect(match('?at', ['f'], 'fat')).toBe(false);
    expect(match('*.github.com', ['.'], 'api.github.com')).toBe(true);
    expect(match('*.github.com', ['.'], 'x.api.github.com')).toBe(false);
  });

  test('super-asterisk crosses delimiters', () => {
    expect(match('api.**.com', ['.'], 'api.cdn.github.com')).toBe(true);
    expect(match('**', ['.'], '')).toBe(true);
  });

  test('character classes, negation and alternatives', () => {
    expect(match('[abc]at', [], 'cat')).toBe(true);
    expect(match('[a-c]at', [], 'fat')).toBe(false);
    expect(match('[!a-c]at', [], 'fat')).toBe(true);
    expect(match('{cat,bat,[fr]at}', [], 'rat')).toBe(true);
    expect(match('{cat,bat}', [], 'at')).toBe(false);
    expect(match('?at', [], 'at')).toBe(false);
    expect(match('?', [], '😀')).toBe(true);
    // A class is one range or a list of runes, as gobwas reads it.
    expect(match('[ab-c]', [], '-')).toBe(true);
    expect(match('[ab-c]', [], 'b')).toBe(true);
    expect(match('[ab-c]', [], 'x')).toBe(false);
    expect(match('[\\]]', [], ']')).toBe(true);
    expect(() => call('glob.match', '[a-cx]', [], 'a')).toThrow(BuiltinError);
    expect(match('[z-a]', [], 'b')).toBe(false);
    expect(match('[!z-a]', [], 'b')).toBe(true);
  });

  test('escapes and regex metacharacters are literal', () => {
    expect(match('\\*.txt', null, '*.txt')).toBe(true);
    expect(match('\\*.txt', null, 'a.txt')).toBe(false);
    expect(match('a+b(c)', null, 'a+b(c)')).toBe(true);
    expect(match('a|b', null, 'a')).toBe(false);
  });

  test('invalid globs are built-in errors', () => {
    expect(() => call('glob.match', '[abc', [], 'a')).toThrow(BuiltinError);
    expect(() => call('glob.match', '{a,b', [], 'a')).toThrow(BuiltinError);
    expect(() => call('glob.match', '*', ['ab'], 'a')).toThrow('operand 2 must be array of runes but got array containing string');
  });

  test('quote_meta escapes what the glob syntax treats specially', () => {
    expect(callJSON('glob.quote_meta', '*.github.com')).toBe('\\*.github.com');
    expect(callJSON('glob.quote_meta', '[a]{b,c}?\\')).toBe('\\[a\\]\\{b\\,c\\}\\?\\\\');
    expect(match(callJSON('glob.quote_meta', '{*}') as string, [], '{*}')).toBe(true);
  });
});

describe('star globs (literals, * and **) match directly, as their RE2 translation does', () => {
  test('every short glob over a small alphabet, with and without delimiters', () => {
    const alphabet = ['a', '.', '*'];
    const globs: string[] = [''];
    for (let len = 1; len <= 4; len++) {
      for (const g of globs.filter((x) => x.length === len - 1)) for (const c of alphabet) globs.push(g + c);
    }
    const texts = ['', 'a', '.', 'aa', 'a.a', 'a.', '.a.', 'aa.a', 'a..a', 'a.a.a.a'];
    for (const delims of [[], ['.']]) {
      for (const glob of globs) {
        const direct = starGlob(glob, delims)!;
        const re2 = globToRE2(glob, delims);
        for (const text of texts) expect([glob, delims, text, direct.matches(text)]).toEqual([glob, delims, text, re2.matches(text)]);
      }
    }
  });

  test('other syntax and multi-unit delimiters are left to RE2', () => {
    expect(starGlob('a?b', [])).toBeNull();
    expect(starGlob('[ab]', [])).toBeNull();
    expect(starGlob('{a,b}', [])).toBeNull();
    expect(starGlob('a\\*', [])).toBeNull();
    expect(starGlob('*', ['😀'])).toBeNull();
    expect(match('*😀*', null, 'x😀y')).toBe(true);
  });
});
