/**
 * Refs into `data`: walking the tree of rule nodes and base documents. A ref descends through
 * namespace nodes by key; at a rule node it takes the rule's document (memoised per query and
 * `with` scope) and continues into that value; a variable operand iterates over the union of
 * the node's child names and its base document's keys.
 */
import { compare, EMPTY_OBJECT, keyOf, ObjectValue, type Value } from '../value';
import type { RuleNode } from '../compiler/rule-tree';
import { deref, forEachElement } from './deref';
import { checkDeadline } from './deadline';
import { RegoError } from '../errors';
import { IN_PROGRESS, KeyedMemo, UNDEFINED, type EvalContext, type GenFn, type PatFn, type Slots, type ValueFn } from './types';

/** One ref operand, compiled. */
export type Step =
  | { readonly kind: 'key'; readonly fn: ValueFn; readonly value: Value | undefined }
  | { readonly kind: 'iter'; readonly slot: number }
  | { readonly kind: 'gen'; readonly gen: GenFn }
  | { readonly kind: 'pattern'; readonly pat: PatFn };

type Emit = (v: Value) => boolean;

type KeyStep = Extract<Step, { kind: 'key' }>;

function keyOfStep(step: KeyStep, s: Slots, c: EvalContext): Value | undefined {
  return step.value !== undefined ? step.value : step.fn(s, c);
}

/**
 * The value at `key` of a partial rule's document: from the full document when it is already
 * known, else computed for this key alone (and remembered) when the rules allow it.
 */
function keyedValue(c: EvalContext, node: RuleNode, key: Value): Value | undefined {
  const lookup = c.program.impls[node.id]!.lookup;
  let m = c.memo[node.id];
  if (lookup === null || (m !== undefined && !(m instanceof KeyedMemo))) {
    const doc = nodeDoc(c, node);
    return doc === undefined ? undefined : deref(doc, key);
  }
  if (m === undefined) c.memo[node.id] = m = new KeyedMemo();
  const k = keyOf(key);
  const known = m.values.get(k);
  if (known !== undefined) return known === UNDEFINED ? undefined : known;
  const v = lookup(c, key);
  m.values.set(k, v === undefined ? UNDEFINED : v);
  return v;
}

export function nodeDoc(c: EvalContext, node: RuleNode): Value | undefined {
  const m = c.memo[node.id];
  if (m !== undefined && !(m instanceof KeyedMemo)) {
    if (m === IN_PROGRESS) throw new RegoError('rego_recursion_error', `rule data.${node.path.join('.')} is recursive`);
    return m === UNDEFINED ? undefined : m;
  }
  c.memo[node.id] = IN_PROGRESS;
  let v: Value | undefined;
  if (node.kind === null) v = namespaceDoc(c, node);
  else if (node.kind === 'function') v = undefined;
  else v = c.program.impls[node.id]!.doc(c);
  c.memo[node.id] = v === undefined ? UNDEFINED : v;
  return v;
}

function namespaceDoc(c: EvalContext, node: RuleNode): Value | undefined {
  if (node.children.size === 0) return node.base ?? (node.isPackage ? new ObjectValue() : undefined);
  const out = new ObjectValue();
  if (node.base instanceof ObjectValue) for (const [k, v] of node.base.entries()) out.set(k, v);
  for (const [k, child] of node.children) {
    // A base document overlapping a rule shadows it, as in OPA; namespaces already include their base.
    if (child.kind === 'function' || (child.kind !== null && out.has(k))) continue;
    const v = nodeDoc(c, child);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

/** Keys a variable iterates over at a namespace node, in Rego's order. */
function namespaceKeys(node: RuleNode): Value[] {
  if (node.iterationKeys === null) {
    const set = new Map<unknown, Value>();
    for (const [k, child] of node.children) if (child.kind !== 'function') set.set(k, k);
    if (node.base instanceof ObjectValue) for (const k of node.base.keys()) if (!set.has(keyOf(k))) set.set(keyOf(k), k);
    node.iterationKeys = [...set.values()].sort(compare);
  }
  return node.iterationKeys;
}

export function walkValue(s: Slots, c: EvalContext, v: Value, steps: readonly Step[], i: number, k: Emit): boolean {
  for (; i < steps.length; i++) {
    const step = steps[i];
    if (step.kind === 'key') {
      const key = keyOfStep(step, s, c);
      if (key === undefined) return false;
      const next = deref(v, key);
      if (next === undefined) return false;
      v = next;
      continue;
    }
    const from = i + 1;
    switch (step.kind) {
      case 'iter': {
        const slot = step.slot;
        return forEachElement(v, (key, val) => {
          checkDeadline(c);
          s[slot] = key;
          return walkValue(s, c, val, steps, from, k);
        });
      }
      case 'gen': {
        const base = v;
        return step.gen(s, c, (key) => {
          const next = deref(base, key);
          return next !== undefined && walkValue(s, c, next, steps, from, k);
        });
      }
      case 'pattern': {
        const pat = step.pat;
        return forEachElement(v, (key, val) => pat(s, c, key, () => walkValue(s, c, val, steps, from, k)));
      }
    }
  }
  return k(v);
}

function childOrBase(s: Slots, c: EvalContext, node: RuleNode, key: Value, steps: readonly Step[], i: number, k: Emit): boolean {
  if (typeof key === 'string') {
    const child = node.children.get(key);
    if (child !== undefined) return child.kind === 'function' ? false : walkNode(s, c, child, steps, i, k);
  }
  if (node.base === undefined) return false;
  const v = deref(node.base, key);
  return v !== undefined && walkValue(s, c, v, steps, i, k);
}

export function walkNode(s: Slots, c: EvalContext, node: RuleNode, steps: readonly Step[], i: number, k: Emit): boolean {
  if (node.kind === 'generic' && i < steps.length && steps[i].kind === 'key') {
    const key = keyOfStep(steps[i] as KeyStep, s, c);
    const v = key === undefined ? undefined : keyedValue(c, node, key);
    return v !== undefined && walkValue(s, c, v, steps, i + 1, k);
  }
  if (node.kind !== null || i === steps.length) {
    const doc = nodeDoc(c, node);
    if (doc === undefined) return false;
    const step = steps[i];
    if (node.kind === 'generic' && step !== undefined && step.kind === 'iter' && doc instanceof ObjectValue && doc.hasOnlyStringKeys()) {
      // OPA enumerates partial objects in the order their rules produce keys.
      for (const [key, val] of doc.stringEntries()) {
        s[step.slot] = key;
        if (walkValue(s, c, val, steps, i + 1, k)) return true;
      }
      return false;
    }
    return walkValue(s, c, doc, steps, i, k);
  }
  if (node.children.size === 0) {
    const doc = node.base ?? (node.isPackage ? EMPTY_OBJECT : undefined);
    return doc !== undefined && walkValue(s, c, doc, steps, i, k);
  }
  const step = steps[i];
  const from = i + 1;
  switch (step.kind) {
    case 'key': {
      const key = keyOfStep(step, s, c);
      return key !== undefined && childOrBase(s, c, node, key, steps, from, k);
    }
    case 'iter': {
      for (const key of namespaceKeys(node)) {
        s[step.slot] = key;
        if (childOrBase(s, c, node, key, steps, from, k)) return true;
      }
      return false;
    }
    case 'gen':
      return step.gen(s, c, (key) => childOrBase(s, c, node, key, steps, from, k));
    case 'pattern': {
      for (const key of namespaceKeys(node)) {
        if (step.pat(s, c, key, () => childOrBase(s, c, node, key, steps, from, k))) return true;
      }
      return false;
    }
  }
}

/** `walkValue` for refs whose operands are all keys: no iteration, no allocation. */
export function lookupValue(s: Slots, c: EvalContext, v: Value, steps: readonly Step[], i: number): Value | undefined {
  for (; i < steps.length; i++) {
    const key = keyOfStep(steps[i] as KeyStep, s, c);
    if (key === undefined) return undefined;
    const next = deref(v, key);
    if (next === undefined) return undefined;
    v = next;
  }
  return v;
}

/** `walkNode` for refs whose operands are all keys. */
export function lookupNode(s: Slots, c: EvalContext, node: RuleNode, steps: readonly Step[], i: number): Value | undefined {
  for (;;) {
    if (node.kind === 'generic' && i < steps.length) {
      const key = keyOfStep(steps[i] as KeyStep, s, c);
      const v = key === undefined ? undefined : keyedValue(c, node, key);
      return v === undefined ? undefined : lookupValue(s, c, v, steps, i + 1);
    }
    if (node.kind !== null || i === steps.length) {
      const doc = nodeDoc(c, node);
      return doc === undefined ? undefined : lookupValue(s, c, doc, steps, i);
    }
    if (node.children.size === 0) {
      const doc = node.base ?? (node.isPackage ? EMPTY_OBJECT : undefined);
      return doc === undefined ? undefined : lookupValue(s, c, doc, steps, i);
    }
    const key = keyOfStep(steps[i] as KeyStep, s, c);
    if (key === undefined) return undefined;
    if (typeof key === 'string') {
      const child = node.children.get(key);
      if (child !== undefined) {
        if (child.kind === 'function') return undefined;
        node = child;
        i++;
        continue;
      }
    }
    if (node.base === undefined) return undefined;
    const v = deref(node.base, key);
    return v === undefined ? undefined : lookupValue(s, c, v, steps, i + 1);
  }
}
