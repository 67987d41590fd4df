/**
 * Pass: place every rule in the tree of `data` paths, next to the base document. A rule sits at
 * its ground prefix (package path + head ref up to the first non-string operand); the operands
 * after that (`tail`) are computed per solution. Node kinds:
 *   complete  – `p := v`, `a.b.c if …` (one value)
 *   function  – `f(x) := y`
 *   generic   – partial objects and ref heads with variables (`p[k] := v`, `a[x].b := v`), or
 *               multi-value rules (`p contains x`, `a[x] contains y`) when `multi` is set
 */
import type { Module, Rule, Term } from '../ast';
import { RegoError } from '../errors';
import { ObjectValue, type Value } from '../value';
import type { CompilerPass } from './compile-state';

export type NodeKind = 'complete' | 'function' | 'generic';

export interface RuleEntry {
  readonly rule: Rule;
  readonly module: Module;
  /** Head ref operands after the node's path (generic rules only). */
  readonly tail: readonly Term[];
}

export class RuleNode {
  readonly children = new Map<string, RuleNode>();
  readonly rules: RuleEntry[] = [];
  defaultRule: RuleEntry | null = null;
  kind: NodeKind | null = null;
  /** Partial set semantics at the leaf (`contains`). */
  multi = false;
  base: Value | undefined = undefined;
  /** A package path: its document is at least an empty object. */
  isPackage = false;
  /** Keys a variable iterates over here (children and base keys, sorted); filled on first use. */
  iterationKeys: Value[] | null = null;

  constructor(
    readonly id: number,
    readonly path: readonly string[],
  ) {}

  /** True when some rule lives in this subtree. */
  hasRulesBelow = false;
}

export interface RuleTree {
  readonly root: RuleNode;
  readonly nodes: RuleNode[];
}

function childOf(tree: { nodes: RuleNode[] }, node: RuleNode, key: string): RuleNode {
  let child = node.children.get(key);
  if (!child) {
    child = new RuleNode(tree.nodes.length, [...node.path, key]);
    tree.nodes.push(child);
    node.children.set(key, child);
  }
  return child;
}

function groundPrefixLength(ops: readonly Term[]): number {
  let i = 0;
  while (i < ops.length && ops[i].type === 'scalar' && typeof (ops[i] as { value: Value }).value === 'string') i++;
  return i;
}

function ruleName(path: readonly string[]): string {
  return ['data', ...path].join('.');
}

function kindOf(rule: Rule, ground: boolean): NodeKind {
  if (rule.head.args) return 'function';
  if (rule.head.key) return 'generic';
  return ground ? 'complete' : 'generic';
}

function place(tree: RuleTree, errors: RegoError[], module: Module, rule: Rule): void {
  const head = rule.head;
  const name = head.ref.path[0];
  if (name.type !== 'var') return;
  const ops = head.ref.path.slice(1);
  const prefix = groundPrefixLength(ops);
  let node = tree.root;
  for (const p of [...module.packagePath, name.name]) node = childOf(tree, node, p);
  for (let i = 0; i < prefix; i++) node = childOf(tree, node, (ops[i] as { value: string }).value);
  const ground = prefix === ops.length;
  const kind = kindOf(rule, ground);
  if (kind === 'function' && !ground) {
    errors.push(new RegoError('rego_type_error', `function ${ruleName(node.path)} has a non-ground ref head`, rule.loc));
    return;
  }
  const entry: RuleEntry = { rule, module, tail: ops.slice(prefix) };
  const multi = head.key !== null;
  if (node.kind !== null && (node.kind !== kind || node.multi !== multi)) {
    errors.push(new RegoError('rego_type_error', `conflicting rules ${ruleName(node.path)} found`, rule.loc));
    return;
  }
  node.kind = kind;
  node.multi = multi;
  if (rule.isDefault) {
    if (node.defaultRule) {
      errors.push(new RegoError('rego_type_error', `multiple default rules ${ruleName(node.path)} found`, rule.loc));
    }
    node.defaultRule = entry;
  } else {
    node.rules.push(entry);
  }
}

function attachBase(node: RuleNode, base: Value | undefined): boolean {
  node.base = base;
  let below = node.kind !== null;
  for (const [k, child] of node.children) {
    const childBase = base instanceof ObjectValue ? base.get(k) : undefined;
    if (attachBase(child, childBase)) below = true;
  }
  node.hasRulesBelow = below;
  return below;
}

function checkNesting(node: RuleNode, errors: RegoError[]): void {
  if ((node.kind === 'complete' || node.kind === 'function') && node.children.size > 0) {
    const child = [...node.children.values()].find((c) => c.hasRulesBelow);
    if (child) errors.push(new RegoError('rego_type_error', `rule ${ruleName(child.path)} conflicts with ${ruleName(node.path)}`, null));
  }
  for (const c of node.children.values()) checkNesting(c, errors);
}

export const buildRuleTreePass: CompilerPass = {
  name: 'build_rule_tree',
  run(state) {
    const root = new RuleNode(0, []);
    const tree: RuleTree = { root, nodes: [root] };
    for (const m of state.modules) {
      let node = root;
      for (const p of m.packagePath) node = childOf(tree, node, p);
      node.isPackage = true;
    }
    for (const m of state.modules) for (const r of m.rules) place(tree, state.errors, m, r);
    attachBase(root, state.data);
    checkNesting(root, state.errors);
    state.tree = tree;
  },
};

/** The node at a data path (`['a','b']`), or null when no rule lives at or below it. */
export function findNode(tree: RuleTree, path: readonly string[]): RuleNode | null {
  let node: RuleNode | undefined = tree.root;
  for (const p of path) {
    node = node.children.get(p);
    if (!node) return null;
  }
  return node;
}
