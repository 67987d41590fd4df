/**
 * Pass: rule indexing. For each rule body, the conditions `ref == constant` (or `=`) on a ground
 * ref into `input` or `data` that the body requires unconditionally (top level, not negated, no
 * `with`). The evaluator checks these before running a body, so a rule for another action
 * (`input.action == "tools/list"`) is skipped without allocating anything: OPA's rule index.
 */
import type { Body, RefTerm, Term } from '../ast';
import type { Value } from '../value';
import type { CompilerPass } from './compile-state';
import { operatorName } from './term-vars';

export interface IndexCondition {
  readonly ref: RefTerm;
  readonly value: Value;
}

function isGroundRef(t: Term): t is RefTerm {
  if (t.type !== 'ref') return false;
  const head = t.path[0];
  if (head.type !== 'var' || (head.name !== 'input' && head.name !== 'data')) return false;
  return t.path.slice(1).every((p) => p.type === 'scalar' && typeof p.value === 'string');
}

export function indexConditions(body: Body): IndexCondition[] {
  const out: IndexCondition[] = [];
  for (const e of body) {
    if (e.type !== 'expr' || e.negated || e.with.length > 0 || e.term.type !== 'call' || e.term.args.length !== 2) continue;
    const op = operatorName(e.term);
    if (op !== 'equal' && op !== 'eq') continue;
    const [a, b] = e.term.args;
    if (isGroundRef(a) && b.type === 'scalar') out.push({ ref: a, value: b.value });
    else if (isGroundRef(b) && a.type === 'scalar') out.push({ ref: b, value: a.value });
  }
  return out;
}

export const ruleIndexPass: CompilerPass = {
  name: 'rule_index',
  run(state) {
    for (const m of state.modules) {
      for (const r of m.rules) {
        for (const body of [r.body, ...r.elses.map((e) => e.body)]) {
          const conditions = indexConditions(body);
          if (conditions.length > 0) state.indexConditions.set(body, conditions);
        }
      }
    }
  },
};
