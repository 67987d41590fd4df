/**
 * What the compiler passes share: the (copied) modules they rewrite, the base data, the built-in
 * table, side tables filled by one pass for later ones, and the errors found so far.
 */
import type { Body, Every, Module, Term } from '../ast';
import type { RegoError } from '../errors';
import type { BuiltinDef } from '../builtins/registry';
import type { Value } from '../value';
import type { RuleTree } from './rule-tree';
import type { IndexCondition } from './rule-index';

/** A comprehension or `every`: the nodes that open a variable scope inside a body. */
export type ScopeNode = Term | Every;

export interface CompileState {
  modules: Module[];
  readonly data: Value;
  readonly builtins: ReadonlyMap<string, BuiltinDef>;
  readonly errors: RegoError[];
  /** Per nested scope: the (renamed) variables it shares with enclosing scopes. */
  readonly closureVars: WeakMap<ScopeNode, Set<string>>;
  tree: RuleTree | null;
  /** Per rule body: the `ref == constant` conditions it requires (rule index). */
  readonly indexConditions: WeakMap<Body, IndexCondition[]>;
  /** Set when compiling an ad-hoc query rather than modules. */
  query: Body | null;
}

export interface CompilerPass {
  readonly name: string;
  run(state: CompileState): void;
}
