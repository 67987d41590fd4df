import { canonicalJson } from '../text/canonical-json';

describe('canonicalJson', () => {
  it('writes equal values as equal text whatever the order of their keys', () => {
    const a = { principal: { type: 'user', id: 'alice' }, action: 'tools/call', parameters: { z: [{ b: 2, a: 1 }], y: null } };
    const b = { parameters: { y: null, z: [{ a: 1, b: 2 }] }, action: 'tools/call', principal: { id: 'alice', type: 'user' } };
    expect(canonicalJson(a)).toBe('{"action":"tools/call","parameters":{"y":null,"z":[{"a":1,"b":2}]},"principal":{"id":"alice","type":"user"}}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('sorts integer-like keys as text, not in the numeric order objects list them', () => {
    expect(canonicalJson({ b: { '10': 'ten', '2': 'two' }, a: 1 })).toBe('{"a":1,"b":{"10":"ten","2":"two"}}');
  });

  it('sorts by UTF-16 code units', () => {
    expect(canonicalJson({ é: 1, Z: 2, a: 3, '😀': 4, 'ﬀ': 5 })).toBe('{"Z":2,"a":3,"é":1,"😀":4,"ﬀ":5}');
  });

  it('leaves out undefined members and writes what JSON cannot hold as null', () => {
    expect(canonicalJson({ b: undefined, a: [undefined, Number.NaN, Infinity, () => 1], c: -0 })).toBe('{"a":[null,null,null,null],"c":0}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
  });
});
