/**
 * Errors with OPA's codes. Compile errors (`rego_*`) stop a policy from loading; evaluation errors
 * (`eval_*`) abort one query. Messages follow OPA's wording so users can search for them.
 */
import type { Location } from './ast';

export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_cancel_error'
  | 'eval_internal_error';

export class RegoError extends Error {
  constructor(
    readonly code: RegoErrorCode,
    message: string,
    readonly location: Location | null = null,
  ) {
    super(message);
    this.name = 'RegoError';
  }

  /** OPA's one-line rendering: `file:row: code: message`. */
  format(): string {
    const where = this.location ? `${this.location.file}:${this.location.row}: ` : '';
    return `${where}${this.code}: ${this.message}`;
  }
}

/** Several compile errors reported together, as OPA does. */
export class RegoErrors extends Error {
  constructor(readonly errors: RegoError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'RegoErrors';
  }
}

/**
 * Thrown by a built-in when an argument has the wrong type. The evaluator turns it into
 * `eval_type_error` with OPA's message: `<name>: operand <n> must be <expected> but got <actual>`
 * (or the given message verbatim when `operand` is 0).
 */
export class BuiltinTypeError extends Error {
  constructor(
    readonly operand: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(operand > 0 ? `operand ${operand} must be ${expected} but got ${actual}` : expected);
    this.name = 'BuiltinTypeError';
  }
}

/**
 * Thrown by a built-in that fails for another reason (bad format, bad key…). The evaluator makes
 * the call undefined, or raises `eval_builtin_error` (`<name>: <message>`) in strict mode.
 */
export class BuiltinError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuiltinError';
  }
}

/**
 * Thrown by a built-in whose failure OPA reports even without strict mode (e.g. a conflict in
 * `object.union_n`-style merges or `http.send` with `raise_error`): always `eval_builtin_error`.
 */
export class BuiltinHardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuiltinHardError';
  }
}
