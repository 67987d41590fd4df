import { BuiltinError } from '../../errors';
import { parseNumber } from '../../value';
import { call, callJSON, callValue, set } from './call';

describe('base64 and hex', () => {
  test('round trips, including non-ASCII', () => {
    expect(callJSON('base64.encode', 'hello')).toBe('aGVsbG8=');
    expect(callJSON('base64.decode', 'aGVsbG8=')).toBe('hello');
    expect(callJSON('base64.decode', callJSON('base64.encode', 'héllo 😀'))).toBe('héllo 😀');
    expect(callJSON('base64.encode', 'subjects?_d')).toBe('c3ViamVjdHM/X2Q=');
    expect(callJSON('hex.encode', 'lorem ipsum')).toBe('6c6f72656d20697073756d');
    expect(callJSON('hex.decode', '6c6f72656d')).toBe('lorem');
  });

  test('decoding is strict like Go (padding, alphabet)', () => {
    expect(() => call('base64.decode', 'aGVsbG8')).toThrow('illegal base64 data at input byte 4');
    expect(() => call('base64.decode', 'c3ViamVjdHM_X2Q=')).toThrow('illegal base64 data at input byte 11');
    expect(callJSON('base64.is_valid', "{'not':'base64'}")).toBe(false);
    expect(callJSON('base64.is_valid', 'aGVs\nbG8=')).toBe(true);
    expect(() => call('hex.decode', 'zz')).toThrow("encoding/hex: invalid byte: U+007A 'z'");
    expect(() => call('hex.decode', 'abc')).toThrow('encoding/hex: odd length hex string');
  });

  test('base64url with and without padding', () => {
    expect(callJSON('base64url.encode', 'subjects?_d>')).toBe('c3ViamVjdHM_X2Q-');
    expect(callJSON('base64url.encode_no_pad', 'hello')).toBe('aGVsbG8');
    expect(callJSON('base64url.encode', 'hello')).toBe('aGVsbG8=');
    expect(callJSON('base64url.decode', 'aGVsbG8')).toBe('hello');
    expect(callJSON('base64url.decode', 'aGVsbG8=')).toBe('hello');
    expect(() => call('base64url.decode', 'aGVsbG8x1')).toThrow('illegal base64url string: aGVsbG8x1');
  });

  test('invalid UTF-8 becomes one U+FFFD per bad byte, as Go counts it', () => {
    const decoded = callValue('base64.decode', '2E84ZuPUd7zfvCZSNEchVpDEIj6PL7JfLpIqyxVG16k=');
    expect(callJSON('count', decoded)).toBe(30);
    expect(callJSON('hex.decode', 'ff61')).toBe('\ufffda');
  });
});

describe('urlquery', () => {
  test('encode and decode like QueryEscape/QueryUnescape', () => {
    expect(callJSON('urlquery.encode', 'a=b+1 é~')).toBe('a%3Db%2B1+%C3%A9~');
    expect(callJSON('urlquery.decode', 'a%3Db%2B1+x')).toBe('a=b+1 x');
    expect(() => call('urlquery.decode', '%zz')).toThrow('invalid URL escape "%zz"');
  });

  test('objects', () => {
    expect(callJSON('urlquery.encode_object', { c: 'd', a: ['b+1', 'c+2'], e: set('y', 'x') })).toBe('a=b%2B1&a=c%2B2&c=d&e=x&e=y');
    expect(() => call('urlquery.encode_object', { a: 1 })).toThrow('operand 1 values must be string, array[string], or set[string]');
    expect(callJSON('urlquery.decode_object', 'a=value_a1&b&a=value_a2')).toEqual({ a: ['value_a1', 'value_a2'], b: [''] });
    expect(callJSON('urlquery.decode_object', '')).toEqual({});
  });
});

describe('json and yaml', () => {
  test('marshal writes what Go encoding/json writes', () => {
    expect(callJSON('json.marshal', [{ foo: set(3, 1, 2) }])).toBe('[{"foo":[1,2,3]}]');
    expect(callJSON('json.marshal', '<a&b>')).toBe('"\\u003ca\\u0026b\\u003e"');
    expect(callJSON('json.marshal', [parseNumber('123456789012345678901234567890')])).toBe('[123456789012345678901234567890]');
    expect(callJSON('json.marshal', { b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  test('marshal_with_options', () => {
    expect(callJSON('json.marshal_with_options', { a: [1, 2], b: {} }, { pretty: true })).toBe('{\n\t"a": [\n\t\t1,\n\t\t2\n\t],\n\t"b": {}\n}');
    expect(callJSON('json.marshal_with_options', { a: 1 }, { indent: '  ', prefix: '>' })).toBe('>{\n>  "a": 1\n>}');
    expect(callJSON('json.marshal_with_options', { a: 1 }, { pretty: false })).toBe('{"a":1}');
    expect(() => call('json.marshal_with_options', 1, { nope: true })).toThrow('operand 2 object contained unknown key nope');
    expect(() => call('json.marshal_with_options', 1, { pretty: 'yes' })).toThrow('operand 2 key pretty failed cast to bool');
  });

  test('unmarshal keeps numbers exact; is_valid', () => {
    expect(call('json.unmarshal', '[1, 12345678901234567890123]')).toBe('[1,12345678901234567890123]');
    expect(() => call('json.unmarshal', '{')).toThrow(BuiltinError);
    expect(callJSON('json.is_valid', '{"json": "ok"}')).toBe(true);
    expect(callJSON('json.is_valid', 'plainstring')).toBe(false);
    expect(callJSON('json.is_valid', 1)).toBe(false);
  });

  test('yaml', () => {
    expect(callJSON('yaml.marshal', [{ foo: set(1, 2, 3) }])).toBe('- foo:\n  - 1\n  - 2\n  - 3\n');
    expect(callJSON('yaml.unmarshal', 'foo:\n   - qux: bar\n   - baz: 2')).toEqual({ foo: [{ qux: 'bar' }, { baz: 2 }] });
    expect(() => call('yaml.unmarshal', '[1,2,3')).toThrow("yaml: line 1: did not find expected ',' or ']'");
    expect(callJSON('yaml.is_valid', 'a: {')).toBe(false);
    expect(callJSON('yaml.is_valid', '{"json": "ok"}')).toBe(true);
    expect(callJSON('yaml.is_valid', 7)).toBe(false);
    // YAML 1.1, as go-yaml reads and writes it.
    expect(callJSON('yaml.unmarshal', 'a: yes\nb: off')).toEqual({ a: true, b: false });
    expect(callJSON('yaml.unmarshal', 'a: 1\n---\nb: 2')).toEqual({ a: 1 });
    expect(callJSON('yaml.unmarshal', '')).toBeNull();
    expect(callJSON('yaml.unmarshal', 'a: 1\na: 2')).toEqual({ a: 2 });
    expect(callJSON('yaml.marshal', { a: 'yes' })).toBe('a: "yes"\n');
  });
});
