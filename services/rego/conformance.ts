/**
 * OPA's conformance cases (format: ../shared/conformance/README.md) run through the public API
 * exactly as an embedder would: parseModule → compilePolicy → Policy.query. A case passes only
 * when its bindings (or its error code and message) match.
 */
import { parseModule, parseTerm } from './parser';
import { compilePolicy } from './policy';
import { parseJSONValue } from './json-value';
import { RegoError, RegoErrors } from './errors';
import { ObjectValue, SetValue, equal, isArray, toJSONText, type Value } from './value';
import type { Module, Term } from './ast';

/** The categories that test the language rather than a built-in family (issue 3, "Done when"). */
export const LANGUAGE_CATEGORIES: readonly string[] = [
  'assignments',
  'completedoc',
  'comprehensions',
  'defaultkeyword',
  'disjunction',
  'elsekeyword',
  'eqexpr',
  'every',
  'functions',
  'inputvalues',
  'keywordrefs',
  'negation',
  'nestedreferences',
  'partialobjectdoc',
  'partialsetdoc',
  'refheads',
  'stringinterpolation',
  'varreferences',
  'virtualdocs',
  'withkeyword',
];

export interface ConformanceCase {
  note: string;
  /** Directory name under v1/. */
  category: string;
  file: string;
  query: string;
  modules: string[];
  data: Value;
  input?: Value;
  inputTerm?: string;
  /** Expected binding sets (JSON-shaped: sets appear as arrays); undefined when the case wants an error or only definedness. */
  wantResult?: ObjectValue[];
  sortBindings: boolean;
  wantDefined?: boolean;
  wantErrorCode?: string;
  wantError?: string;
  strictError: boolean;
  ignoreGeneratedVars: boolean;
  env?: Record<string, string>;
}

/** The slice of the engine the runner needs; `compilePolicy` + `Policy` satisfy it. */
export interface ConformanceEngine {
  compile(modules: Module[], data: Value): {
    query(
      query: string,
      options: { input?: Value; strictBuiltinErrors?: boolean; env?: Record<string, string>; deadline?: number },
    ): Map<string, Value>[];
  };
}

export interface CategoryCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface CaseFailure {
  note: string;
  category: string;
  file: string;
  reason: string;
}

export interface ConformanceReport {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  categories: Record<string, CategoryCounts>;
  failures: CaseFailure[];
}

export interface RunOptions {
  /** note → reason for cases deliberately skipped. */
  skips?: Readonly<Record<string, string>>;
  /** Per-case evaluation budget in ms (a case that runs away fails instead of hanging the run). */
  caseTimeoutMs?: number;
  /** Called after each case, e.g. for progress output. */
  onCase?: (c: ConformanceCase, failure: string | null) => void;
}

// ------------------------------------------------------------------------------------ case files

function field(o: ObjectValue, key: string): Value | undefined {
  return o.get(key);
}

function stringField(o: ObjectValue, key: string): string | undefined {
  const v = o.get(key);
  return typeof v === 'string' ? v : undefined;
}

function stringMap(v: Value | undefined): Record<string, string> | undefined {
  if (!(v instanceof ObjectValue)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of v.entries()) if (typeof k === 'string' && typeof val === 'string') out[k] = val;
  return out;
}

/** Parses one case file (`{"cases": [...]}`), keeping numbers exact. */
export function parseCaseFile(text: string, category: string, file: string): ConformanceCase[] {
  const doc = parseJSONValue(text);
  const cases = doc instanceof ObjectValue ? doc.get('cases') : undefined;
  if (!isArray(cases ?? null)) throw new Error(`${category}/${file}: no "cases" array`);
  return (cases as Value[]).map((raw, i) => {
    if (!(raw instanceof ObjectValue)) throw new Error(`${category}/${file}: case ${i} is not an object`);
    const modules = field(raw, 'modules');
    const wantResult = field(raw, 'want_result');
    return {
      note: stringField(raw, 'note') ?? `${category}/${file}#${i}`,
      category,
      file,
      query: stringField(raw, 'query') ?? '',
      modules: isArray(modules ?? null) ? (modules as Value[]).filter((m): m is string => typeof m === 'string') : [],
      data: field(raw, 'data') ?? new ObjectValue(),
      input: field(raw, 'input'),
      inputTerm: stringField(raw, 'input_term'),
      wantResult: isArray(wantResult ?? null) ? (wantResult as Value[]).filter((r): r is ObjectValue => r instanceof ObjectValue) : undefined,
      sortBindings: field(raw, 'sort_bindings') === true,
      wantDefined: typeof field(raw, 'want_defined') === 'boolean' ? (field(raw, 'want_defined') as boolean) : undefined,
      wantErrorCode: stringField(raw, 'want_error_code'),
      wantError: stringField(raw, 'want_error'),
      strictError: field(raw, 'strict_error') === true,
      ignoreGeneratedVars: field(raw, 'ignore_generated_vars') === true,
      env: stringMap(field(raw, 'env')),
    };
  });
}

/** A ground term (an `input_term`) as a value. */
export function groundTermValue(t: Term): Value {
  switch (t.type) {
    case 'scalar':
      return t.value;
    case 'array':
      return t.items.map(groundTermValue);
    case 'set':
      return SetValue.of(t.items.map(groundTermValue));
    case 'object':
      return ObjectValue.fromEntries(t.entries.map(([k, v]) => [groundTermValue(k), groundTermValue(v)] as const));
    default:
      throw new RegoError('rego_parse_error', `input term must be ground (found ${t.type})`, t.loc);
  }
}

// ------------------------------------------------------------------------------------ comparison

/** Text of a non-string object key as OPA's JSON output writes it. */
function keyText(k: Value): string {
  return typeof k === 'string' ? k : toJSONText(k);
}

function matchUnordered(actual: Value[], expected: Value[]): boolean {
  if (actual.length !== expected.length) return false;
  const used = new Array<boolean>(actual.length).fill(false);
  return expected.every((e) => {
    const i = actual.findIndex((a, j) => !used[j] && matches(a, e, false));
    if (i < 0) return false;
    used[i] = true;
    return true;
  });
}

/**
 * Does an actual value match an expected JSON-shaped value? Sets match arrays in any order;
 * with `unordered`, so does a top-level array (sort_bindings).
 */
export function matches(actual: Value, expected: Value, unordered: boolean): boolean {
  if (actual instanceof SetValue) return isArray(expected) && matchUnordered(actual.values(), expected as Value[]);
  if (Array.isArray(actual)) {
    if (!Array.isArray(expected)) return false;
    if (unordered) return matchUnordered(actual, expected);
    return actual.length === expected.length && actual.every((a, i) => matches(a, expected[i], false));
  }
  if (actual instanceof ObjectValue) {
    if (!(expected instanceof ObjectValue) || expected.size !== actual.size) return false;
    return actual.entries().every(([k, v]) => {
      const e = expected.get(typeof k === 'string' ? k : keyText(k)) ?? expected.get(k);
      return e !== undefined && matches(v, e, false);
    });
  }
  return equal(actual, expected);
}

const GENERATED_VAR = /^__.*__$/;

function visibleBindings(row: Map<string, Value>, ignoreGenerated: boolean): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [k, v] of row) {
    if (k.startsWith('$')) continue;
    if (ignoreGenerated && GENERATED_VAR.test(k)) continue;
    out.set(k, v);
  }
  return out;
}

function rowMatches(actual: Map<string, Value>, expected: ObjectValue, unordered: boolean): boolean {
  if (actual.size !== expected.size) return false;
  for (const [k, e] of expected.entries()) {
    const a = typeof k === 'string' ? actual.get(k) : undefined;
    if (a === undefined || !matches(a, e, unordered)) return false;
  }
  return true;
}

/** Solutions compare in order, as OPA's own case runner compares them. */
function resultsMatch(actual: Map<string, Value>[], expected: ObjectValue[], unordered: boolean): boolean {
  return actual.length === expected.length && expected.every((e, i) => rowMatches(actual[i], e, unordered));
}

function renderRows(rows: Map<string, Value>[]): string {
  return JSON.stringify(rows.map((r) => Object.fromEntries([...r].map(([k, v]) => [k, renderValue(v)]))));
}

function renderValue(v: Value): unknown {
  if (v instanceof SetValue) return { set: v.values().map(renderValue) };
  if (Array.isArray(v)) return v.map(renderValue);
  if (v instanceof ObjectValue) return Object.fromEntries(v.entries().map(([k, val]) => [keyText(k), renderValue(val)]));
  return typeof v === 'object' && v !== null ? String(v) : v;
}

// ------------------------------------------------------------------------------------ running

function errorsOf(e: unknown): RegoError[] | null {
  if (e instanceof RegoErrors) return e.errors;
  if (e instanceof RegoError) return [e];
  return null;
}

function checkError(c: ConformanceCase, errors: RegoError[]): string | null {
  const matching = errors.filter((err) => c.wantErrorCode === undefined || err.code === c.wantErrorCode);
  if (matching.length === 0) {
    return `want error ${c.wantErrorCode}, got ${errors.map((e) => e.format()).join('; ')}`;
  }
  if (c.wantError !== undefined && !matching.some((err) => err.message.includes(c.wantError!) || err.format().includes(c.wantError!))) {
    return `want error message containing ${JSON.stringify(c.wantError)}, got ${matching.map((e) => e.format()).join('; ')}`;
  }
  return null;
}

/** Runs one case; returns null when it passes, else why it failed. */
export function runCase(c: ConformanceCase, engine: ConformanceEngine, caseTimeoutMs = 5000): string | null {
  const wantsError = c.wantErrorCode !== undefined || c.wantError !== undefined;
  let rows: Map<string, Value>[];
  try {
    const modules = c.modules.map((src, i) => parseModule(src, `test-${i}.rego`));
    const policy = engine.compile(modules, c.data);
    const input = c.inputTerm !== undefined ? groundTermValue(parseTerm(c.inputTerm)) : c.input;
    rows = policy.query(c.query, {
      input,
      strictBuiltinErrors: c.strictError,
      env: c.env,
      deadline: performance.now() + caseTimeoutMs,
    });
  } catch (e) {
    const errors = errorsOf(e);
    if (errors === null) return `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    if (!wantsError) return `unexpected error: ${errors.map((err) => err.format()).join('; ')}`;
    return checkError(c, errors);
  }
  if (wantsError) return `want error ${c.wantErrorCode ?? ''} ${c.wantError ?? ''}, got result ${renderRows(rows)}`.replace(/\s+/g, ' ');
  const visible = rows.map((r) => visibleBindings(r, c.ignoreGeneratedVars));
  if (c.wantDefined !== undefined && (visible.length > 0) !== c.wantDefined) {
    return `want ${c.wantDefined ? 'defined' : 'undefined'}, got ${renderRows(visible)}`;
  }
  if (c.wantResult !== undefined && !resultsMatch(visible, c.wantResult, c.sortBindings)) {
    return `want ${JSON.stringify(c.wantResult.map(renderValue))}, got ${renderRows(visible)}`;
  }
  return null;
}

/** Runs cases and tallies them overall and per category. */
export function runConformance(cases: readonly ConformanceCase[], engine: ConformanceEngine, options: RunOptions = {}): ConformanceReport {
  const report: ConformanceReport = { total: 0, passed: 0, failed: 0, skipped: 0, categories: {}, failures: [] };
  for (const c of cases) {
    report.total++;
    const counts = (report.categories[c.category] ??= { passed: 0, failed: 0, skipped: 0 });
    if (options.skips && Object.prototype.hasOwnProperty.call(options.skips, c.note)) {
      report.skipped++;
      counts.skipped++;
      continue;
    }
    const failure = runCase(c, engine, options.caseTimeoutMs);
    if (failure === null) {
      report.passed++;
      counts.passed++;
    } else {
      report.failed++;
      counts.failed++;
      report.failures.push({ note: c.note, category: c.category, file: c.file, reason: failure });
    }
    options.onCase?.(c, failure);
  }
  return report;
}

/** Pass rate over the cases that ran (skipped cases count as not passed). */
export function passRate(report: Pick<ConformanceReport, 'total' | 'passed'>): number {
  return report.total === 0 ? 0 : report.passed / report.total;
}

/** Totals over the given categories only. */
export function categoryTotals(report: ConformanceReport, categories: readonly string[]): { total: number; passed: number } {
  let total = 0;
  let passed = 0;
  for (const name of categories) {
    const c = report.categories[name];
    if (!c) continue;
    total += c.passed + c.failed + c.skipped;
    passed += c.passed;
  }
  return { total, passed };
}

/** The engine behind the public API. */
export function policyEngine(): ConformanceEngine {
  return { compile: (modules, data) => compilePolicy(modules, data) };
}
