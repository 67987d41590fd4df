import * as path from 'path';
import { run } from '../commands/eval';
import { spawnTs } from '../../common/test/support/child-process';
import { captureIO } from './capture-io';
import { writeTree } from './rego-fixtures';

const POLICY = `package app

import rego.v1

default allow := false

allow if input.user == "admin"

users contains u if some u in data.users

big := 123456789012345678901234567890
`;

function fixture(): { dir: string; input: string } {
  const dir = writeTree({
    'policy/app.rego': POLICY,
    'policy/data.json': '{"users": ["ann", "bob"]}',
    'input.json': '{"user": "admin"}',
  });
  return { dir, input: path.join(dir, 'input.json') };
}

async function evalWith(query: string, format: 'json' | 'raw' | 'pretty', data?: string[]) {
  const { dir, input } = fixture();
  const io = captureIO();
  const code = await run({ query, data: data ?? [path.join(dir, 'policy')], input, format }, io);
  return { code, out: io.out, err: io.err };
}

describe('mcp-authz eval', () => {
  it('prints OPA-shaped JSON with expression values, text, location and bindings', async () => {
    const { code, out } = await evalWith('data.app.users[u]', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      result: [
        { expressions: [{ value: 'ann', text: 'data.app.users[u]', location: { row: 1, col: 1 } }], bindings: { u: 'ann' } },
        { expressions: [{ value: 'bob', text: 'data.app.users[u]', location: { row: 1, col: 1 } }], bindings: { u: 'bob' } },
      ],
    });
  });

  it('reports true for unifications and the value of other expressions', async () => {
    const { out } = await evalWith('x := data.app.allow; count(data.app.users)', 'json');
    const result = JSON.parse(out).result[0];
    expect(result.expressions.map((e: { value: unknown; text: string }) => [e.text, e.value])).toEqual([
      ['x := data.app.allow', true],
      ['count(data.app.users)', 2],
    ]);
    expect(result.bindings).toEqual({ x: true });
  });

  it('keeps big numbers exact', async () => {
    const { out } = await evalWith('data.app.big', 'raw');
    expect(out).toBe('123456789012345678901234567890\n');
  });

  it('prints {} for an undefined query in json, nothing in raw, "undefined" in pretty', async () => {
    expect((await evalWith('data.app.nope', 'json')).out).toBe('{}\n');
    expect((await evalWith('data.app.nope', 'raw')).out).toBe('');
    expect((await evalWith('data.app.nope', 'pretty')).out).toBe('undefined\n');
  });

  it('prints raw values as compact JSON, one per solution', async () => {
    expect((await evalWith('data.app.allow', 'raw')).out).toBe('true\n');
    expect((await evalWith('data.app.users', 'raw')).out).toBe('["ann","bob"]\n');
  });

  it('prints a table of bindings in pretty format', async () => {
    const { out } = await evalWith('data.app.users[u]', 'pretty');
    expect(out).toContain('| u     |');
    expect(out).toContain('| "bob" |');
  });

  it('reports errors in OPA shape on stdout for json and as text on stderr otherwise, exiting 1', async () => {
    const broken = writeTree({ 'p.rego': 'package p\n\np := [1, 2\n' });
    const json = await evalWith('data.p', 'json', [broken]);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out);
    expect(parsed.errors[0]).toMatchObject({ code: 'rego_parse_error', location: { row: 4 } });
    const raw = await evalWith('data.p', 'raw', [broken]);
    expect(raw.code).toBe(1);
    expect(raw.err).toMatch(/p\.rego:4: rego_parse_error/);
  });

  it('reports evaluation errors and query syntax errors', async () => {
    const conflict = writeTree({ 'p.rego': 'package p\n\nx := 1\nx := 2\n' });
    const r = await evalWith('data.p.x', 'json', [conflict]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).errors[0].code).toBe('eval_conflict_error');
    const q = await evalWith('data.app.allow ==', 'json');
    expect(q.code).toBe(1);
    expect(JSON.parse(q.out).errors[0].code).toBe('rego_parse_error');
  });

  it('reports a missing data path', async () => {
    const r = await evalWith('data', 'raw', ['/no/such/policy']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/no/such/policy');
  });

  it('rejects an unknown output format on the command line', async () => {
    const cli = spawnTs('services/cli/main.ts', ['eval', '-f', 'xml', 'data']);
    const { code } = await cli.exited;
    expect(code).toBe(2);
    expect(cli.stderr()).toMatch(/json, raw, pretty/);
  });
});
