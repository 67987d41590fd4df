/**
 * The Rego syntax tree: what the parser produces and the compiler consumes. Plain data (no
 * methods), so passes can be small functions that map one tree to another.
 *
 * Operators are normalised to calls at parse time, as OPA does: `a + b` is a Call whose operator
 * is the ref `plus`, `a == b` is `equal`, `a = b` is `eq`, `a := b` is `assign`, `x in xs` is
 * `internal.member_2`, `k, v in xs` is `internal.member_3`, `a | b` is `or`, `a & b` is `and`,
 * unary minus on a non-literal is `minus(0, x)`... see OPERATOR_NAMES.
 */
import type { Value } from './value';

export interface Location {
  file: string;
  row: number;
  col: number;
}

// ---------------------------------------------------------------------------------------- terms

export interface ScalarTerm {
  type: 'scalar';
  /** null, boolean, string, or number (exact: parsed with value.parseNumber). */
  value: Value;
  loc: Location;
}

export interface VarTerm {
  type: 'var';
  /** `_` is the wildcard; the parser renames each occurrence to a fresh `$wildcardN`. */
  name: string;
  loc: Location;
}

/**
 * `head.a[b]["c"]`: `path[0]` is the head (a var such as `data`, `input` or a local, or any other
 * term, e.g. an array literal or a call), the rest are the operands; `.a` is a scalar string term.
 */
export interface RefTerm {
  type: 'ref';
  path: Term[];
  loc: Location;
}

export interface ArrayTerm {
  type: 'array';
  items: Term[];
  loc: Location;
}

export interface SetTerm {
  type: 'set';
  items: Term[];
  loc: Location;
}

export interface ObjectTerm {
  type: 'object';
  entries: [Term, Term][];
  loc: Location;
}

export interface ArrayComprehension {
  type: 'arraycomp';
  head: Term;
  body: Body;
  loc: Location;
}

export interface SetComprehension {
  type: 'setcomp';
  head: Term;
  body: Body;
  loc: Location;
}

export interface ObjectComprehension {
  type: 'objectcomp';
  key: Term;
  value: Term;
  body: Body;
  loc: Location;
}

/** `f(x, y)` or an operator; `operator` is a ref such as `count`, `data.pkg.f`, `plus`. */
export interface CallTerm {
  type: 'call';
  operator: RefTerm;
  args: Term[];
  loc: Location;
}

/** `$"text {expr} text"`: parts alternate literal strings and embedded expressions. */
export interface TemplateTerm {
  type: 'template';
  parts: (string | Term)[];
  loc: Location;
}

export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | SetTerm
  | ObjectTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm
  | TemplateTerm;

// ---------------------------------------------------------------------------------- expressions

/** `with target as value`; target is a ref into `input`, `data`, or a function/built-in name. */
export interface WithModifier {
  target: RefTerm;
  value: Term;
  loc: Location;
}

/** A term evaluated for truth: a call (`x > 1`, `x = y`, `f(x)`), a ref, or any term. */
export interface TermExpr {
  type: 'expr';
  term: Term;
  negated: boolean;
  with: WithModifier[];
  loc: Location;
}

/** `some x, y` (declaration only). */
export interface SomeDecl {
  type: 'some';
  vars: VarTerm[];
  loc: Location;
}

/** `some v in xs`, `some k, v in xs` (key/value may be any term, e.g. `some [a, b] in xs`). */
export interface SomeIn {
  type: 'somein';
  key: Term | null;
  value: Term;
  collection: Term;
  with: WithModifier[];
  loc: Location;
}

/** `every k, v in xs { body }`. */
export interface Every {
  type: 'every';
  key: Term | null;
  value: Term;
  domain: Term;
  body: Body;
  with: WithModifier[];
  loc: Location;
}

export type Expr = TermExpr | SomeDecl | SomeIn | Every;

export type Body = Expr[];

// ---------------------------------------------------------------------------------------- rules

/**
 * The rule head. `ref` is the rule's path relative to the package (`p`, `a.b[x].c`, `q[k]`).
 * - complete rule / ref-head value: `value` set, `key` null, no `args`
 * - partial set (`p contains x`): `key` = x, `value` null
 * - partial object (`p[k] := v`, legacy): the last ref operand is the key; `value` = v
 * - function (`f(x) := y`): `args` set; `value` defaults to `true` when omitted
 * `assign` records `:=` (vs `=`), for OPA's compile checks.
 */
export interface RuleHead {
  ref: RefTerm;
  args: Term[] | null;
  key: Term | null;
  value: Term | null;
  assign: boolean;
  /** `p if {…}` and `p contains x if …` have no explicit value; a complete rule then yields true. */
  loc: Location;
}

export interface Rule {
  head: RuleHead;
  body: Body;
  /** `default p := v`: body is empty. */
  isDefault: boolean;
  /** The `else` chain, in order; each else has its own value (or true) and body. */
  elses: ElseClause[];
  /** Source text span, for coverage and `rego.metadata.rule`. */
  loc: Location;
  endRow: number;
  annotations: Annotation[] | null;
}

export interface ElseClause {
  value: Term | null;
  body: Body;
  loc: Location;
}

/** A `# METADATA` block (YAML) attached to the following package or rule. */
export interface Annotation {
  scope: 'package' | 'rule' | 'document' | 'subpackages';
  /** Parsed YAML, as JSON. */
  data: Record<string, unknown>;
  loc: Location;
}

export interface Import {
  /** `data.x.y`, `input.z`, `future.keywords.in`, `rego.v1`. */
  path: RefTerm;
  alias: string | null;
  loc: Location;
}

export interface Module {
  /** `package a.b` → ['a', 'b']. */
  packagePath: string[];
  imports: Import[];
  rules: Rule[];
  annotations: Annotation[];
  file: string;
  loc: Location;
}

/** Operator → built-in name, as OPA names them. */
export const OPERATOR_NAMES = {
  '=': 'eq',
  ':=': 'assign',
  '==': 'equal',
  '!=': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
  '+': 'plus',
  '-': 'minus',
  '*': 'mul',
  '/': 'div',
  '%': 'rem',
  '|': 'or',
  '&': 'and',
} as const;
