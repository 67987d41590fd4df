import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../commands/conformance';
import { captureIO as capture } from './capture-io';

describe('mcp-authz conformance', () => {
  it('fails with a message when the directory does not exist', async () => {
    const io = capture();
    expect(await run({ dir: path.join(os.tmpdir(), 'no-such-conformance-dir'), json: false, verbose: false }, io)).toBe(1);
    expect(io.err).toContain('not a directory');
  });

  it('fails with a message on a malformed case file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
    fs.mkdirSync(path.join(dir, 'cat'));
    fs.writeFileSync(path.join(dir, 'cat', 'bad.json'), '{"cases": [');
    const io = capture();
    expect(await run({ dir, json: true, verbose: false }, io)).toBe(1);
    expect(io.err).toMatch(/mcp-authz conformance: .+/);
  });
});

describe('mcp-authz conformance on case files', () => {
  const cases = {
    cases: [
      { note: 'demo/passes', query: 'data.t.p = x', modules: ['package t\n\np := 1\n'], want_result: [{ x: 1 }] },
      { note: 'demo/fails', query: 'data.t.p = x', modules: ['package t\n\np := 1\n'], want_result: [{ x: 2 }] },
      { note: 'demo/error', query: 'data.t.p = x', modules: ['package t\n\np := 1\np := 2\n'], want_error_code: 'eval_conflict_error' },
    ],
  };

  function caseDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-'));
    fs.mkdirSync(path.join(dir, 'demo'));
    fs.writeFileSync(path.join(dir, 'demo', 'cases.json'), JSON.stringify(cases));
    return dir;
  }

  it('prints totals and per-category counts as JSON', async () => {
    const io = capture();
    expect(await run({ dir: caseDir(), json: true, verbose: false }, io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual({ total: 3, passed: 2, failed: 1, skipped: 0, categories: { demo: { passed: 2, failed: 1, skipped: 0 } } });
  });

  it('lists failures with -v', async () => {
    const io = capture();
    expect(await run({ dir: caseDir(), json: false, verbose: true }, io)).toBe(0);
    expect(io.out).toMatch(/FAIL demo\/fails \(demo\/cases\.json\)\n  want \[\{"x":2\}\], got \[\{"x":1\}\]/);
    expect(io.out).toMatch(/PASS: 2\/3 \(66\.7%\), FAIL: 1, SKIP: 0/);
  });
});
