import * as path from 'path';
import { run } from '../commands/test';
import { captureIO } from './capture-io';
import { writeTree } from './rego-fixtures';

const POLICY = `package app

import rego.v1

allow if input.user == "admin"

level := "high" if {
	input.score > 10
} else := "low"

unused if {
	input.never
}
`;

const TESTS = `package app_test

import rego.v1

import data.app

test_admin_allowed if app.allow with input as {"user": "admin"}

test_level_low if app.level == "low" with input as {"score": 1}
`;

async function runTests(files: Record<string, string>, flags: { verbose?: boolean; coverage?: boolean; threshold?: number } = {}) {
  const dir = writeTree(files);
  const io = captureIO();
  const code = await run({ paths: [path.join(dir, 'policies'), path.join(dir, 'tests')], verbose: false, coverage: false, ...flags }, io);
  return { code, out: io.out, err: io.err };
}

describe('mcp-authz test', () => {
  it('exits 0 and prints the PASS summary when every test passes', async () => {
    const r = await runTests({ 'policies/app.rego': POLICY, 'tests/app_test.rego': TESTS });
    expect(r.code).toBe(0);
    expect(r.out).toBe('PASS: 2/2\n');
  });

  it('lists every test with -v', async () => {
    const r = await runTests({ 'policies/app.rego': POLICY, 'tests/app_test.rego': TESTS }, { verbose: true });
    expect(r.out).toMatch(/app_test\.rego:\ndata\.app_test\.test_admin_allowed: PASS \(.+\)\ndata\.app_test\.test_level_low: PASS/);
  });

  it('exits 1 and reports failing and erroring tests', async () => {
    const failing = `${TESTS}
test_denied_user_allowed if app.allow with input as {"user": "eve"}

conflicting := 1

conflicting := 2

test_error if conflicting == 1

todo_test_later if false
`;
    const r = await runTests({ 'policies/app.rego': POLICY, 'tests/app_test.rego': failing });
    expect(r.code).toBe(1);
    expect(r.out).toContain('data.app_test.test_denied_user_allowed: FAIL');
    expect(r.out).toMatch(/data\.app_test\.test_error: ERROR \(.+\)\n  .*eval_conflict_error/);
    expect(r.out).not.toContain('test_admin_allowed');
    expect(r.out).toMatch(/PASS: 2\/5\nFAIL: 1\/5\nSKIPPED: 1\/5\nERROR: 1\/5/);
  });

  it('reports line coverage with the lines not covered, and fails below --threshold', async () => {
    const r = await runTests({ 'policies/app.rego': POLICY, 'tests/app_test.rego': TESTS }, { coverage: true });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/policies\/app\.rego +\d+\.\d%  \(\d+\/\d+ lines\)  not covered: [0-9, -]*12/);
    expect(r.out).toMatch(/TOTAL +\d+\.\d%/);
    const strict = await runTests({ 'policies/app.rego': POLICY, 'tests/app_test.rego': TESTS }, { coverage: true, threshold: 100 });
    expect(strict.code).toBe(2);
    expect(strict.err).toContain('below the threshold of 100%');
  });

  it('fails when there are no tests or the policy does not compile', async () => {
    expect((await runTests({ 'policies/app.rego': POLICY, 'tests/none.rego': 'package none\n' })).code).toBe(1);
    const broken = await runTests({ 'policies/app.rego': 'package app\n\nallow {\n', 'tests/app_test.rego': TESTS });
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('rego_parse_error');
  });
});
