import * as path from 'path';
import { run } from '../commands/bench';
import { spawnTs } from '../../common/test/support/child-process';
import { captureIO } from './capture-io';
import { writeTree } from './rego-fixtures';

const FIXTURE = path.resolve(__dirname, '../../rego/bench/rbac-abac');

describe('mcp-authz bench', () => {
  it('prints {"ns_per_op", "samples"} with --json for the RBAC/ABAC fixture', async () => {
    const io = captureIO();
    const code = await run({ query: 'data.bench.decision', data: [path.join(FIXTURE, 'policy')], input: path.join(FIXTURE, 'input.json'), json: true, benchtimeMs: 50 }, io);
    expect(code).toBe(0);
    const out = JSON.parse(io.out);
    expect(Object.keys(out).sort()).toEqual(['ns_per_op', 'samples']);
    expect(out.samples).toBeGreaterThan(0);
    expect(out.ns_per_op).toBeGreaterThan(0);
    expect(io.err).toBe('');
  });

  it('prints a table and times ad-hoc queries through Policy.query', async () => {
    const io = captureIO();
    const code = await run({ query: 'x := data.bench.decision.allow', data: [path.join(FIXTURE, 'policy')], input: path.join(FIXTURE, 'input.json'), json: false, benchtimeMs: 20 }, io);
    expect(code).toBe(0);
    expect(io.out).toMatch(/\| samples +\| +\d+ \|/);
    expect(io.out).toContain('Policy.query');
  });

  it('warns when the query is undefined', async () => {
    const io = captureIO();
    await run({ query: 'data.bench.nothing', data: [path.join(FIXTURE, 'policy')], json: true, benchtimeMs: 10 }, io);
    expect(io.err).toContain('undefined');
  });

  it('exits 1 on policy errors', async () => {
    const dir = writeTree({ 'p.rego': 'package p\n\np { true }\n' });
    const io = captureIO();
    expect(await run({ query: 'data.p.p', data: [dir], json: true, benchtimeMs: 10 }, io)).toBe(1);
    expect(io.err).toContain('`if` keyword is required');
  });

  it('requires a query on the command line', async () => {
    const cli = spawnTs('services/cli/main.ts', ['bench', '-d', FIXTURE]);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toMatch(/missing required argument/);
  });
});
