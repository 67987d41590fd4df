/**
 * `rego.metadata.rule()` and `rego.metadata.chain()`: the METADATA annotations in force for the
 * rule being evaluated, known at compile time, so calls compile to constants.
 */
import type { Annotation, Module, Rule } from '../ast';
import { fromJSON, type Value } from '../value';

export interface RuleOwner {
  readonly rule: Rule;
  readonly module: Module;
  readonly modules: readonly Module[];
}

function rulePath(owner: RuleOwner): string[] {
  const out = [...owner.module.packagePath];
  for (const [i, t] of owner.rule.head.ref.path.entries()) {
    if (i === 0 && t.type === 'var') out.push(t.name);
    else if (i > 0 && t.type === 'scalar' && typeof t.value === 'string') out.push(t.value);
    else break;
  }
  return out;
}

function entry(path: string[], annotation: Annotation | undefined): Value {
  return fromJSON(annotation ? { path, annotations: annotation.data } : { path });
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function ruleMetadata(owner: RuleOwner): Value {
  const own = owner.rule.annotations?.find((a) => a.scope === 'rule');
  return fromJSON(own?.data ?? {});
}

export function metadataChain(owner: RuleOwner): Value[] {
  const path = rulePath(owner);
  const chain: Value[] = [entry(path, owner.rule.annotations?.find((a) => a.scope === 'rule'))];
  for (const m of owner.modules) {
    if (!samePath(m.packagePath, owner.module.packagePath)) continue;
    for (const r of m.rules) {
      const doc = r.annotations?.find((a) => a.scope === 'document');
      if (doc && samePath(rulePath({ ...owner, rule: r, module: m }), path)) chain.push(entry(path, doc));
    }
  }
  const pkg = owner.module.packagePath;
  for (let n = pkg.length; n >= 0; n--) {
    const prefix = pkg.slice(0, n);
    for (const m of owner.modules) {
      if (!samePath(m.packagePath, prefix)) continue;
      for (const a of m.annotations) {
        if ((a.scope === 'package' && n === pkg.length) || a.scope === 'subpackages') chain.push(entry(prefix, a));
      }
    }
  }
  return chain;
}
