/**
 * Shapes of compiled code. Rule bodies compile once into closures over numbered variable slots;
 * evaluation is continuation-passing: a goal calls `k` once per solution, and `k` returning true
 * stops the enumeration (used by `not`, `every`, early exit), which then propagates true.
 */
import type { EvalTracer } from '../policy';
import type { BuiltinContext, BuiltinDef } from '../builtins/registry';
import type { Key, Value } from '../value';
import type { RuleNode } from '../compiler/rule-tree';

export type Slots = (Value | undefined)[];
export type Cont = () => boolean;
/** Enumerates the solutions of an expression or body. */
export type Goal = (s: Slots, c: EvalContext, k: Cont) => boolean;
/** A single-solution expression: true when it holds (binding its output slots). */
export type Check = (s: Slots, c: EvalContext) => boolean;
/** Evaluates a term with no iteration; undefined when the term is undefined. */
export type ValueFn = (s: Slots, c: EvalContext) => Value | undefined;
/** Enumerates the values of a term that iterates. */
export type GenFn = (s: Slots, c: EvalContext, k: (v: Value) => boolean) => boolean;
/** Unifies a pattern term with a value, binding its unbound vars. */
export type PatFn = (s: Slots, c: EvalContext, v: Value, k: Cont) => boolean;

/** A replacement installed by `with f as …` for a function or built-in. */
export type FnOverride = { kind: 'value'; value: Value } | { kind: 'fn'; name: string };

/** Everything an evaluation reads besides slots; a `with` creates a modified copy. */
export interface EvalContext {
  readonly input: Value | undefined;
  /** Root of the data tree: the compiled one, or a copy patched by `with data… as`. */
  readonly root: RuleNode;
  readonly dataPatched: boolean;
  /** Rule document values of this query (per `with` scope), by node id; or the keys looked up so far. */
  readonly memo: (Value | typeof UNDEFINED | typeof IN_PROGRESS | KeyedMemo | undefined)[];
  readonly fnOverrides: ReadonlyMap<string, FnOverride> | null;
  readonly builtinCtx: BuiltinContext;
  readonly strict: boolean;
  readonly tracer: EvalTracer | null;
  /** performance.now() deadline in ms; 0 = none. */
  readonly deadline: number;
  /** Per-query counters, shared by `with` scopes. */
  readonly query: QueryState;
  readonly program: ProgramInfo;
}

export interface QueryState {
  /** Evaluation steps so far; the clock is read every DEADLINE_CHECK_INTERVAL steps. */
  ticks: number;
  /** Next id for tree nodes created by `with data…` (unique within the query's memos). */
  nextNodeId: number;
}

/** How many rule clauses run between two reads of the clock (a power of two). */
export const DEADLINE_CHECK_INTERVAL = 64;

/** Memo marker for a document known to be undefined. */
export const UNDEFINED: unique symbol = Symbol('undefined');
/** Values of single keys of a partial rule's document, computed without enumerating the rest. */
export class KeyedMemo {
  readonly values = new Map<Key, Value | typeof UNDEFINED>();
}

/** Memo marker for a document being computed (seeing it again means recursion). */
export const IN_PROGRESS: unique symbol = Symbol('in progress');

export interface ProgramInfo {
  readonly builtins: ReadonlyMap<string, BuiltinDef>;
  /** Number of nodes in the compiled tree (ids below it are taken). */
  readonly nodeCount: number;
  /** Function nodes by dotted name (`data.pkg.f`). */
  readonly functions: ReadonlyMap<string, RuleNode>;
  /** Compiled rules by node id (copies made by `with` keep their node's id). */
  readonly impls: (NodeImpl | undefined)[];
}

/** The compiled rules of one node. */
export interface NodeImpl {
  /** Value of a complete or generic node's document. */
  doc(c: EvalContext): Value | undefined;
  /** Result of calling a function node. */
  call(c: EvalContext, args: Value[]): Value | undefined;
  /** For partial rules keyed by one variable: the document's value at one key, found directly. */
  lookup: ((c: EvalContext, key: Value) => Value | undefined) | null;
}
