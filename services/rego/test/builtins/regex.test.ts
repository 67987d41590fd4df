import { BuiltinError } from '../../errors';
import { call, callJSON } from './call';

describe('regex with RE2 semantics', () => {
  test('match is unanchored; is_valid never errors', () => {
    expect(callJSON('regex.match', '^[a-z]+\\[[0-9]+\\]$', 'foo[1]')).toBe(true);
    expect(callJSON('regex.match', '', 'x')).toBe(true);
    expect(callJSON('regex.match', 'b', 'abc')).toBe(true);
    expect(callJSON('regex.is_valid', '++')).toBe(false);
    expect(callJSON('regex.is_valid', 1)).toBe(false);
    expect(callJSON('regex.is_valid', '(?P<x>a)')).toBe(true);
  });

  test('differences from JavaScript RegExp', () => {
    // Lookaround and backreferences do not exist in RE2.
    expect(callJSON('regex.is_valid', '(?=a)')).toBe(false);
    expect(callJSON('regex.is_valid', '(a)\\1')).toBe(false);
    // Go's \z and (?i) inline flags, \pL classes and POSIX classes.
    expect(callJSON('regex.match', 'a\\z', 'a')).toBe(true);
    expect(callJSON('regex.match', '(?i)HELLO', 'hello')).toBe(true);
    expect(callJSON('regex.match', '^\\pL+$', 'héllo')).toBe(true);
    expect(callJSON('regex.match', '^[[:alpha:]]+$', 'abc')).toBe(true);
    // `.` is a whole code point, and `$` without (?m) only matches at the very end.
    expect(callJSON('regex.match', '^.$', '😀')).toBe(true);
    expect(callJSON('regex.match', '^a$', 'a\n')).toBe(false);
    // \d is ASCII only, unlike some engines' Unicode digits.
    expect(callJSON('regex.match', '^\\d$', '٣')).toBe(false);
    // RE2-only syntax: ungreedy flag, quoted literals, Python-style named groups.
    expect(callJSON('regex.find_n', '(?U)a+', 'aaa', -1)).toEqual(['a', 'a', 'a']);
    expect(callJSON('regex.match', '^\\Qa.b*\\E$', 'a.b*')).toBe(true);
    expect(callJSON('regex.replace', 'ab', '(?P<first>a)', '<$first>')).toBe('<a>b');
    // Repetition limits and nested repetition are errors in RE2.
    expect(callJSON('regex.is_valid', 'a{1001}')).toBe(false);
    expect(callJSON('regex.is_valid', 'x{2}{3}')).toBe(false);
        // Leftmost-first alternation like Perl, not longest.
    expect(callJSON('regex.find_n', 'a|ab', 'ab', -1)).toEqual(['a']);
  });

  test('deprecated re_match is regex.match', () => {
    expect(callJSON('re_match', 'a+', 'baa')).toBe(true);
  });

  test('bad patterns are built-in errors with Go messages', () => {
    expect(() => call('regex.match', '$^[[[', 'x')).toThrow(BuiltinError);
    expect(() => call('regex.match', '(', 'x')).toThrow('error parsing regexp: missing closing ): `(`');
  });

  test('find_n and find_all_string_submatch_n', () => {
    expect(callJSON('regex.find_n', 'a.', 'paranormal', 2)).toEqual(['ar', 'an']);
    expect(callJSON('regex.find_n', 'a.', 'paranormal', 0)).toEqual([]);
    expect(callJSON('regex.find_n', 'bork', 'paranormal', -1)).toEqual([]);
    expect(callJSON('regex.find_all_string_submatch_n', 'a(x*)b', '-ab-axxb-', -1)).toEqual([
      ['ab', ''],
      ['axxb', 'xx'],
    ]);
    expect(callJSON('regex.find_all_string_submatch_n', '(a)|(b)', 'ab', -1)).toEqual([
      ['a', 'a', ''],
      ['b', '', 'b'],
    ]);
    expect(callJSON('regex.find_n', 'x*', 'a😀b', -1)).toEqual(['', '', '', '']);
  });

  test('replace expands $n, ${n}, $name and $$ like Go', () => {
    expect(callJSON('regex.replace', '-wy-wxxy-', 'w(x*)y', '0')).toBe('-0-0-');
    expect(callJSON('regex.replace', 'foo', '(foo)', '$1$1')).toBe('foofoo');
    expect(callJSON('regex.replace', 'foo', '(fo)o', '${1}x')).toBe('fox');
    expect(callJSON('regex.replace', 'foo', '(fo)o', '$1x')).toBe('');
    expect(callJSON('regex.replace', 'foo', '(?P<w>fo)o', '[$w]')).toBe('[fo]');
    expect(callJSON('regex.replace', 'a', 'a', '$$')).toBe('$');
    expect(callJSON('regex.replace', 'foo bar', '[a-z]', '_')).toBe('___ ___');
  });

  test('split follows regexp.Split', () => {
    expect(callJSON('regex.split', 'a', 'banana')).toEqual(['b', 'n', 'n', '']);
    expect(callJSON('regex.split', 'z+', 'pizza')).toEqual(['pi', 'a']);
    expect(callJSON('regex.split', '^[a-z]+', 'foobar baz')).toEqual(['', ' baz']);
    expect(callJSON('regex.split', '^[a-z ]+$', 'foobar baz')).toEqual(['', '']);
    expect(callJSON('regex.split', 'x', '')).toEqual(['']);
    expect(callJSON('regex.split', '', 'ab')).toEqual(['a', 'b']);
  });

  test('template_match', () => {
    expect(callJSON('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}')).toBe(true);
    expect(callJSON('regex.template_match', 'urn:foo.bar:{[a-z]+}', 'urn:fooXbar:baz', '{', '}')).toBe(false);
    expect(callJSON('regex.template_match', 'urn:<[0-9]{2}>:x', 'urn:12:x', '<', '>')).toBe(true);
    expect(() => call('regex.template_match', 'urn:{.*', 'urn:x', '{', '}')).toThrow(BuiltinError);
    expect(() => call('regex.template_match', 'urn:{.*}', 'urn:x', '{{', '}')).toThrow(
      'start delimiter has to be exactly one character long but is 2 long',
    );
    expect(callJSON('regex.template_match', 'a.b{[0-9]+}', 'a.b12', '{', '}')).toBe(true);
    expect(callJSON('regex.template_match', 'a.b{[0-9]+}', 'aXb12', '{', '}')).toBe(false);
  });

  test('globs_match decides whether two glob-like patterns share a string', () => {
    expect(callJSON('regex.globs_match', 'a.a.[0-9]+z', '.b.b2359825792*594823z')).toBe(true);
    expect(callJSON('regex.globs_match', '[a-z]+', '[0-9]*')).toBe(false);
    expect(callJSON('regex.globs_match', '[a-z]*', '[0-9]*')).toBe(true);
    expect(callJSON('regex.globs_match', '[a-z]+', '[0-9]+')).toBe(false);
    expect(callJSON('regex.globs_match', '[a-z]+\\[[0-9]+\\]', 'foo\\[1\\]')).toBe(true);
    expect(callJSON('regex.globs_match', 'b.*', 'c.*')).toBe(false);
    // The glob dialect has no negated sets: `^` is an ordinary member.
    expect(callJSON('regex.globs_match', '[^a]', 'a')).toBe(true);
    expect(callJSON('regex.globs_match', '[z-a]x', 'x')).toBe(false);
    expect(() => call('regex.globs_match', 'a**', 'a')).toThrow("pos:3:flag '*' must be preceded by a non-flag");
    expect(() => call('regex.globs_match', '[a', 'a')).toThrow('found [ without matching ]');
    expect(() => call('regex.globs_match', 'a]', 'a')).toThrow("set-close ']' with no preceding '['");
  });
});
