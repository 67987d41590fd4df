/**
 * `with` modifiers: evaluate the replacement values, then run the expression in a copy of the
 * context with `input` patched, the data tree patched (replacing base and virtual documents under
 * the path, as OPA does), or a function/built-in replaced. Rule values are memoised per context,
 * so the copy starts with an empty memo.
 */
import type { WithModifier } from '../ast';
import { RegoError } from '../errors';
import { ObjectValue, type Value } from '../value';
import { refNameParts } from '../compiler/ast-walk';
import { findNode, RuleNode } from '../compiler/rule-tree';
import { deref } from './deref';
import { nodeDoc } from './data-walk';
import type { BodyCompiler } from './compile-body';
import type { EvalContext, FnOverride, Goal, Slots, ValueFn } from './types';

type Target =
  | { kind: 'input'; path: string[] }
  | { kind: 'data'; path: string[] }
  | { kind: 'fn'; name: string };

interface CompiledWith {
  target: Target;
  value: ValueFn | null;
  /** For function targets: the name of the replacing function or built-in. */
  fnRef: string | null;
}

const BAD_TARGET = 'with keyword target must reference existing input, data, or a function';

function resolveTarget(bc: BodyCompiler, w: WithModifier): Target {
  const parts = refNameParts(w.target);
  if (!parts) throw new RegoError('rego_compile_error', BAD_TARGET, w.loc);
  if (parts[0] === 'input') return { kind: 'input', path: parts.slice(1) };
  if (parts[0] === 'data') {
    const node = findNode(bc.env.tree, parts.slice(1));
    if (node?.kind === 'function') return { kind: 'fn', name: parts.join('.') };
    return { kind: 'data', path: parts.slice(1) };
  }
  const name = parts.join('.');
  if (!bc.env.builtins.has(name)) throw new RegoError('rego_compile_error', BAD_TARGET, w.loc);
  return { kind: 'fn', name };
}

function functionRef(bc: BodyCompiler, w: WithModifier): string | null {
  const parts = refNameParts(w.value);
  if (!parts) return null;
  const name = parts.join('.');
  if (parts[0] === 'data') return findNode(bc.env.tree, parts.slice(1))?.kind === 'function' ? name : null;
  return bc.env.builtins.has(name) ? name : null;
}

export function setPath(base: Value | undefined, path: readonly string[], value: Value, from = 0): Value {
  if (from === path.length) return value;
  const out = base instanceof ObjectValue ? ObjectValue.fromEntries(base.entries()) : new ObjectValue();
  out.set(path[from], setPath(out.get(path[from]), path, value, from + 1));
  return out;
}

function copyNode(node: RuleNode): RuleNode {
  const copy = new RuleNode(node.id, node.path);
  for (const [k, v] of node.children) copy.children.set(k, v);
  copy.rules.push(...node.rules);
  copy.defaultRule = node.defaultRule;
  copy.kind = node.kind;
  copy.multi = node.multi;
  copy.base = node.base;
  copy.hasRulesBelow = node.hasRulesBelow;
  copy.isPackage = node.isPackage;
  return copy;
}

function patchTree(c: EvalContext, node: RuleNode, path: readonly string[], i: number, value: Value): RuleNode {
  if (i === path.length || node.kind !== null) {
    const leaf = new RuleNode(node.id, node.path);
    leaf.base = i === path.length ? value : setPath(nodeDoc(c, node), path, value, i);
    return leaf;
  }
  const copy = copyNode(node);
  copy.base = setPath(node.base, path, value, i);
  let child = node.children.get(path[i]);
  if (!child) {
    child = new RuleNode(c.query.nextNodeId++, [...node.path, path[i]]);
    child.base = node.base === undefined ? undefined : deref(node.base, path[i]);
  }
  copy.children.set(path[i], patchTree(c, child, path, i + 1, value));
  return copy;
}

export function compileWith(
  bc: BodyCompiler,
  mods: readonly WithModifier[],
  bound: Set<string>,
  inner: () => { goal: Goal },
): Goal {
  const compiled: CompiledWith[] = mods.map((w) => {
    const target = resolveTarget(bc, w);
    const fnRef = target.kind === 'fn' ? functionRef(bc, w) : null;
    const value = fnRef ? null : bc.terms.value(w.value, new Set(bound)).fn;
    if (!fnRef && !value) throw new RegoError('rego_compile_error', 'with keyword value must not iterate', w.loc);
    return { target, value, fnRef };
  });
  const goal = inner().goal;
  return (s: Slots, c: EvalContext, k) => {
    let input = c.input;
    let root = c.root;
    let patched = c.dataPatched;
    let overrides: Map<string, FnOverride> | null = null;
    for (const w of compiled) {
      const v = w.value ? w.value(s, c) : null;
      if (v === undefined) return false;
      switch (w.target.kind) {
        case 'input':
          input = setPath(input, w.target.path, v!);
          break;
        case 'data':
          root = patchTree(c, root, w.target.path, 0, v!);
          patched = true;
          break;
        case 'fn':
          overrides ??= new Map(c.fnOverrides ?? []);
          overrides.set(w.target.name, w.fnRef ? { kind: 'fn', name: w.fnRef } : { kind: 'value', value: v! });
          break;
      }
    }
    const scoped: EvalContext = {
      ...c,
      input,
      root,
      dataPatched: patched,
      fnOverrides: overrides ?? c.fnOverrides,
      memo: [],
    };
    return goal(s, scoped, k);
  };
}
