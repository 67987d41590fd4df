import { evalQuery } from '../query-eval';
import { compilePolicy } from '../policy';
import { parseModule } from '../parser';
import { fromJSON, toJSON } from '../value';

const policy = compilePolicy([parseModule('package t\n\nimport rego.v1\n\nxs := [1, 2, 3]\n', 't.rego')], fromJSON({}));

function values(query: string): unknown[][] {
  return evalQuery(policy, query).map((r) => r.expressions.map((e) => toJSON(e.value)));
}

describe('evalQuery (opa eval semantics)', () => {
  it('reports the value of a lone expression, even false', () => {
    expect(values('1 > 2')).toEqual([[false]]);
    expect(values('data.t.xs[1]')).toEqual([[2]]);
  });

  it('requires every captured value to be truthy when there are several expressions', () => {
    expect(values('x := 1; 1 > 2')).toEqual([]);
    expect(values('x := 1; x < 2')).toEqual([[true, true]]);
  });

  it('gives one result per solution with user bindings only', () => {
    const results = evalQuery(policy, 'some i; data.t.xs[i] > 1');
    expect(results.map((r) => Object.fromEntries(r.bindings))).toEqual([{ i: 1 }, { i: 2 }]);
    expect(results[0].expressions[1]).toMatchObject({ text: 'data.t.xs[i] > 1', location: { row: 1, col: 9 } });
  });

  it('reports true for negations and unifications', () => {
    expect(values('not data.t.missing; x = 1')).toEqual([[true, true]]);
  });
});
