/**
 * Pass: reject recursion. Builds the graph "rule document → rule documents its rules refer to"
 * (a ref that stops at or iterates over a namespace depends on every rule below it) and reports
 * each cycle once: `rule data.p is recursive: data.p -> data.q -> data.p`.
 */
import type { Rule, Term } from '../ast';
import { RegoError } from '../errors';
import type { CompilerPass } from './compile-state';
import { visitBody, visitTerm } from './ast-walk';
import type { RuleNode, RuleTree } from './rule-tree';

function nodesBelow(node: RuleNode, out: Set<RuleNode>): void {
  if (node.kind !== null) out.add(node);
  for (const c of node.children.values()) if (c.hasRulesBelow) nodesBelow(c, out);
}

function refTargets(tree: RuleTree, path: readonly Term[], out: Set<RuleNode>): void {
  if (path[0].type !== 'var' || path[0].name !== 'data') return;
  let node = tree.root;
  for (let i = 1; i < path.length; i++) {
    if (node.kind !== null) break;
    const op = path[i];
    // A variable here dispatches at run time (OPA resolves such refs dynamically).
    if (op.type !== 'scalar' || typeof op.value !== 'string') return;
    const child = node.children.get(op.value);
    if (!child) return;
    node = child;
  }
  nodesBelow(node, out);
}

function dependencies(tree: RuleTree, rule: Rule): Set<RuleNode> {
  const out = new Set<RuleNode>();
  const visit = (t: Term) => {
    if (t.type === 'ref') refTargets(tree, t.path, out);
    if (t.type === 'call') refTargets(tree, t.operator.path, out);
  };
  const h = rule.head;
  for (const t of [...h.ref.path.slice(1), ...(h.args ?? []), h.key, h.value]) if (t) visitTerm(t, visit);
  visitBody(rule.body, visit);
  for (const e of rule.elses) {
    if (e.value) visitTerm(e.value, visit);
    visitBody(e.body, visit);
  }
  return out;
}

function nameOf(n: RuleNode): string {
  return ['data', ...n.path].join('.');
}

export const checkRecursionPass: CompilerPass = {
  name: 'check_recursion',
  run(state) {
    const tree = state.tree;
    if (!tree) return;
    const edges = new Map<RuleNode, Set<RuleNode>>();
    for (const node of tree.nodes) {
      if (node.kind === null) continue;
      const deps = new Set<RuleNode>();
      for (const e of [...node.rules, ...(node.defaultRule ? [node.defaultRule] : [])]) {
        for (const d of dependencies(tree, e.rule)) deps.add(d);
      }
      edges.set(node, deps);
    }
    const done = new Set<RuleNode>();
    const stack: RuleNode[] = [];
    const reported = new Set<RuleNode>();
    const visit = (n: RuleNode): void => {
      if (done.has(n)) return;
      const at = stack.indexOf(n);
      if (at >= 0) {
        if (!reported.has(n)) {
          reported.add(n);
          const cycle = [...stack.slice(at), n].map(nameOf).join(' -> ');
          const rule = n.rules[0]?.rule ?? n.defaultRule?.rule;
          state.errors.push(new RegoError('rego_recursion_error', `rule ${nameOf(n)} is recursive: ${cycle}`, rule?.loc ?? null));
        }
        return;
      }
      stack.push(n);
      for (const d of edges.get(n) ?? []) visit(d);
      stack.pop();
      done.add(n);
    };
    for (const n of edges.keys()) visit(n);
  },
};
