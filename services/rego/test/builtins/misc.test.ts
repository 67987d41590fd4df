/** units, semver, uuid, rand, opa.runtime/trace, walk and graph.*, providers.aws.sign_req. */
import { BuiltinTypeError } from '../../errors';
import { fromJSON, parseNumber, SetValue, toJSONText } from '../../value';
import { context, invoke, invokeJSON } from './invoke';
import { compilePolicy } from '../../policy';
import { BUILTINS } from '../../builtins';

describe('units', () => {
  test('parse: SI and binary suffixes, milli, exponents, exact big results', () => {
    expect(invokeJSON('units.parse', ['10K'])).toBe(10000);
    expect(invokeJSON('units.parse', ['10Ki'])).toBe(10240);
    expect(invokeJSON('units.parse', ['1.1Ki'])).toBe(1126.4);
    expect(invokeJSON('units.parse', ['100m'])).toBe(0.1);
    expect(invokeJSON('units.parse', ['2.5e3K'])).toBe(2500000);
    expect(invokeJSON('units.parse', ['-3.5E2m'])).toBe(-0.35);
    expect(toJSONText(invoke('units.parse', ['10Ei'])!)).toBe('11529215046068469760');
    expect(() => invoke('units.parse', [' 1K'])).toThrow('spaces not allowed in resource strings');
    expect(() => invoke('units.parse', ['K'])).toThrow('no amount provided');
    expect(() => invoke('units.parse', ['1.2.3'])).toThrow('could not parse amount to a number');
    expect(() => invoke('units.parse', ['5Q'])).toThrow('unit Q not recognized');
    expect(() => invoke('units.parse', ['1e1234567'])).toThrow('exponent too large');
  });

  test('parse_bytes: case-insensitive units, truncated to whole bytes', () => {
    expect(invokeJSON('units.parse_bytes', ['1KiB'])).toBe(1024);
    expect(invokeJSON('units.parse_bytes', ['"100TIB"'])).toBe(109951162777600);
    expect(invokeJSON('units.parse_bytes', ['4.1Mi'])).toBe(4299161);
    expect(invokeJSON('units.parse_bytes', ['.0'])).toBe(0);
    expect(() => invoke('units.parse_bytes', ['GB'])).toThrow('no byte amount provided');
    expect(() => invoke('units.parse_bytes', ['1xb'])).toThrow('byte unit xb not recognized');
  });
});

describe('semver', () => {
  test('compare follows precedence, including pre-releases; invalid versions are errors', () => {
    expect(invoke('semver.compare', ['1.0.0', '2.0.0'])).toBe(-1);
    expect(invoke('semver.compare', ['1.0.0-alpha', '1.0.0'])).toBe(-1);
    expect(invoke('semver.compare', ['1.0.0-alpha.10', '1.0.0-alpha.9'])).toBe(1);
    expect(invoke('semver.compare', ['1.0.0-alpha.1', '1.0.0-alpha.beta'])).toBe(-1);
    expect(invoke('semver.compare', ['1.0.0+build.1', '1.0.0+build.2'])).toBe(0);
    expect(invoke('semver.compare', ['v1.2.3', '1.2.3'])).toBe(0);
    expect(() => invoke('semver.compare', ['1', '1.0.0'])).toThrow('operand 1: string "1" is not a valid SemVer');
  });

  test('is_valid accepts any value', () => {
    expect(invoke('semver.is_valid', ['1.2.3-rc.1+sha.5'])).toBe(true);
    expect(invoke('semver.is_valid', ['1.2'])).toBe(false);
    expect(invoke('semver.is_valid', ['1.2.3-a..b'])).toBe(false);
    expect(invoke('semver.is_valid', [123])).toBe(false);
  });
});

describe('uuid and rand', () => {
  test('rfc4122 is a v4 UUID, stable per seed within a query, fresh across queries', () => {
    const q = context();
    const a = invoke('uuid.rfc4122', ['k'], q) as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(invoke('uuid.rfc4122', ['k'], q)).toBe(a);
    expect(invoke('uuid.rfc4122', ['other'], q)).not.toBe(a);
    expect(invoke('uuid.rfc4122', ['k'], context())).not.toBe(a);
  });

  test('parse decodes version, variant and v1/v2 fields', () => {
    expect(invokeJSON('uuid.parse', ['00000000-0000-4000-8000-000000000000'])).toEqual({ variant: 'RFC4122', version: 4 });
    const v2 = invokeJSON('uuid.parse', ['000003e8-48b9-21ee-b200-325096b39f47']) as Record<string, unknown>;
    expect(v2).toMatchObject({ version: 2, domain: 'Person', id: 1000, clocksequence: 12800, nodeid: '32-50-96-b3-9f-47' });
    expect(invokeJSON('uuid.parse', ['{00000000-0000-1000-8000-000000000000}'])).toMatchObject({ version: 1 });
    expect(invoke('uuid.parse', ['not-a-uuid'])).toBeUndefined();
  });

  test('rand.intn stays in range and is stable per (seed, n) within a query', () => {
    const q = context();
    const x = invoke('rand.intn', ['seed', 10], q) as number;
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThan(10);
    expect(invoke('rand.intn', ['seed', 10], q)).toBe(x);
    expect(invoke('rand.intn', ['seed', 0], q)).toBe(0);
    expect(() => invoke('rand.intn', ['seed', 1.5], q)).toThrow('operand 2 must be integer number but got floating-point number');
  });
});

describe('runtime', () => {
  test('opa.runtime exposes the env the host passes; trace is true', () => {
    expect(invokeJSON('opa.runtime', [], context({ env: { STAGE: 'prod' } }))).toEqual({ config: {}, env: { STAGE: 'prod' } });
    expect(invokeJSON('opa.runtime', [], context({ env: null }))).toEqual({});
    expect(invoke('trace', ['note'])).toBe(true);
    expect(() => invoke('trace', [1])).toThrow(BuiltinTypeError);
  });
});

describe('walk and graphs', () => {
  test('walk yields every [path, value] pre-order, set members as their own keys', () => {
    expect(invokeJSON('walk', [fromJSON({ a: [1] })])).toEqual([[[], { a: [1] }], [['a'], [1]], [['a', 0], 1]]);
    expect(invokeJSON('walk', [SetValue.of(['x'])])).toEqual([[[], ['x']], [['x'], 'x']]);
    expect(invokeJSON('walk', [7])).toEqual([[[], 7]]);
  });

  test('reachable follows edges from arrays or sets, ignoring unknown nodes', () => {
    const g = fromJSON({ a: ['b'], b: SetValue.of(['c']), c: ['a'], d: null });
    expect(invokeJSON('graph.reachable', [g, ['a']])).toEqual(['a', 'b', 'c']);
    expect(invokeJSON('graph.reachable', [g, SetValue.of(['d', 'zz'])])).toEqual(['d']);
    expect(() => invoke('graph.reachable', [g, 'a'])).toThrow('operand 2 must be {array, set} but got string');
  });

  test('reachable_paths lists maximal paths', () => {
    const g = fromJSON({ a: ['b', 'c'], b: ['c'], c: [] });
    expect(invokeJSON('graph.reachable_paths', [g, ['a']])).toEqual([['a', 'b', 'c'], ['a', 'c']]);
    expect(invokeJSON('graph.reachable_paths', [fromJSON({}), ['a']])).toEqual([]);
  });
});

describe('providers.aws.sign_req', () => {
  const config = (extra: object = {}) =>
    fromJSON({ aws_access_key: 'AKID', aws_secret_access_key: 'SECRET', aws_service: 's3', aws_region: 'eu-west-1', ...extra });
  const ts = parseNumber('1451311705000000000');

  test('signs with SigV4, hashing the body unless payload signing is off', () => {
    const out = invokeJSON('providers.aws.sign_req', [fromJSON({ method: 'GET', url: 'https://bucket.example.com/a%20b?x=1' }), config(), ts]) as any;
    expect(out.headers['x-amz-date']).toBe('20151228T140825Z');
    expect(out.headers.host).toBe('bucket.example.com');
    expect(out.headers['x-amz-content-sha256']).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(out.headers.Authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/20151228\/eu-west-1\/s3\/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=[0-9a-f]{64}$/,
    );
    const unsigned = invokeJSON('providers.aws.sign_req', [fromJSON({ method: 'GET', url: 'https://x.test' }), config({ disable_payload_signing: true }), ts]) as any;
    expect(unsigned.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
  });

  test('reports missing parameters as type errors with OPA wording', () => {
    expect(() => invoke('providers.aws.sign_req', [fromJSON({}), config(), ts])).toThrow(
      'operand 1 missing required request parameters(s): {"method", "url"}',
    );
    expect(() => invoke('providers.aws.sign_req', [fromJSON({ method: 'GET', url: 'x' }), fromJSON({}), ts])).toThrow(
      'operand 2 missing required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"}',
    );
    expect(() => invoke('providers.aws.sign_req', [fromJSON({ method: 'GET', url: 'x' }), config(), 1.5])).toThrow(
      'operand 3 could not convert time_ns value into a unix timestamp',
    );
    expect(() => invoke('providers.aws.sign_req', [fromJSON({ method: 'GET', url: 'x' }), config({ disable_payload_signing: 'no' }), ts])).toThrow(
      BuiltinTypeError,
    );
  });

  test('long-running built-ins stop at the query deadline (eval_cancel_error)', () => {
    const past = context({ deadline: performance.now() - 1 });
    const cancelled = expect.objectContaining({ code: 'eval_cancel_error' });
    const leaves = Array.from({ length: 10000 }, (_, i) => `n${i + 1}`);
    const chain = fromJSON({ n0: leaves, ...Object.fromEntries(leaves.map((n) => [n, []])) });
    const bigDoc = fromJSON(Array.from({ length: 10000 }, (_, i) => ({ i })));
    expect(() => invoke('numbers.range', [1, 100000], past)).toThrow(cancelled);
    expect(() => invoke('numbers.range_step', [1, 100000, 2], past)).toThrow(cancelled);
    expect(() => invoke('walk', [bigDoc], past)).toThrow(cancelled);
    expect(() => invoke('graph.reachable', [chain, ['n0']], past)).toThrow(cancelled);
    expect(() => invoke('graph.reachable_paths', [chain, ['n0']], past)).toThrow(cancelled);
    expect(() => invoke('net.cidr_expand', ['10.0.0.0/16'], past)).toThrow(cancelled);
    // Short work finishes before the first poll; no deadline means no polling at all.
    expect(invokeJSON('numbers.range', [1, 3], past)).toEqual([1, 2, 3]);
    expect((invoke('numbers.range', [1, 100000]) as unknown[]).length).toBe(100000);
  });

  test('a query stuck in one long built-in call is cancelled at its deadline', () => {
    const policy = compilePolicy([], fromJSON({}));
    const deadline = performance.now() + 30;
    expect(() => policy.query('x := count(numbers.range(1, 10000000))', { deadline })).toThrow(expect.objectContaining({ code: 'eval_cancel_error' }));
  });

  test('the table lists the built-ins the evaluator carries out itself, with signatures that work when called', () => {
    for (const name of ['eq', 'assign', 'print', 'internal.print', 'rego.metadata.rule', 'rego.metadata.chain']) {
      expect(BUILTINS.get(name)?.name).toBe(name);
    }
    expect(BUILTINS.get('print')!.variadic).toBe('any');
    const lines: string[] = [];
    const ctx = { ...context(), print: (m: string) => lines.push(m) };
    expect(invoke('print', fromJSON(['x', ['y']]) as never, ctx)).toBe(true);
    expect(invoke('internal.print', [[SetValue.of(['a', 'b']), SetValue.of([1])]], ctx)).toBe(true);
    expect(lines).toEqual(['x ["y"]', 'a 1', 'b 1']);
    expect(invokeJSON('rego.metadata.rule', [])).toEqual({});
  });
});
