import { compilePolicy } from '../policy';
import { parseModule } from '../parser';
import { coverableLines, discoverTests, runTests } from '../tester';
import { fromJSON } from '../value';

const policySrc = `package p

import rego.v1

allow if {
	input.user == "admin"
}

deny if {
	input.user == "eve"
}
`;
const testSrc = `package p_test

import rego.v1

test_allow if data.p.allow with input as {"user": "admin"}

test_undefined if data.p.deny with input as {"user": "admin"}

todo_test_later if false

helper := 1
`;

const modules = [parseModule(policySrc, 'p.rego'), parseModule(testSrc, 'p_test.rego')];

describe('tester', () => {
  it('discovers test_* rules (and todo_test_* as skipped) per package', () => {
    const { tests, todo } = discoverTests(modules);
    expect(tests.map((t) => t.name)).toEqual(['data.p_test.test_allow', 'data.p_test.test_undefined']);
    expect(todo.map((t) => t.name)).toEqual(['data.p_test.todo_test_later']);
  });

  it('passes true, fails undefined, skips todo tests', () => {
    const run = runTests(compilePolicy(modules, fromJSON({})), modules);
    expect(run.results.map((r) => [r.name, r.outcome, r.message])).toEqual([
      ['data.p_test.test_allow', 'pass', undefined],
      ['data.p_test.test_undefined', 'fail', 'undefined'],
      ['data.p_test.todo_test_later', 'skip', undefined],
    ]);
  });

  it('counts rule heads and body expressions as coverable lines and reports the ones never evaluated', () => {
    expect([...coverableLines(modules[0])].sort((a, b) => a - b)).toEqual([5, 6, 9, 10]);
    const run = runTests(compilePolicy(modules, fromJSON({})), modules, { coverage: true });
    const file = run.coverage!.files.find((f) => f.file === 'p.rego')!;
    expect(file.covered).toEqual(expect.arrayContaining([5, 6]));
    expect(file.notCovered).toEqual(expect.arrayContaining([9]));
    expect(run.coverage!.percent).toBeLessThan(100);
  });

  it('covers an else line once its body was evaluated', () => {
    const src = 'package e\n\nimport rego.v1\n\nlevel := "high" if {\n\tinput.n > 10\n} else := "mid" if {\n\tinput.n > 5\n} else := "low"\n\ntest_mid if level == "mid" with input as {"n": 7}\n';
    const ms = [parseModule(src, 'e.rego')];
    const file = runTests(compilePolicy(ms, fromJSON({})), ms, { coverage: true }).coverage!.files[0];
    expect(file.covered).toEqual(expect.arrayContaining([5, 6, 7, 8]));
    expect(file.notCovered).toEqual([9]);
  });

  it('covers the line of an else that produced the value, with or without a body', () => {
    const src = [
      'package e', '', 'import rego.v1', '',
      'label := "item" if {', '\tinput.kind == "item"', '} else := "server" if {', '\tinput.kind == "server"', '} else := "other"', '',
      'test_other if label == "other" with input as {"kind": "x"}', '',
    ].join('\n');
    const ms = [parseModule(src, 'e.rego')];
    const run = runTests(compilePolicy(ms, fromJSON({})), ms, { coverage: true });
    expect(run.results.map((r) => r.outcome)).toEqual(['pass']);
    const file = run.coverage!.files[0];
    expect(file.covered).toEqual(expect.arrayContaining([5, 6, 7, 8, 9, 11]));
    expect(file.notCovered).toEqual([]);
  });
});
