/** Public entry of the Rego engine. */
export { parseModule, parseQuery, parseTerm } from './parser';
export { compilePolicy, Policy, type CompileOptions, type EvalOptions, type EvalTracer } from './policy';
export * from './value';
export * from './errors';
export type { Module, Rule, Body, Term, Expr, Location } from './ast';
export { BUILTINS } from './builtins';
export type { BuiltinDef, BuiltinContext, HostCapabilities, TypeSpec } from './builtins/registry';
export { DEFAULT_CAPABILITIES } from './builtins/registry';
