/**
 * `opa test` for our engine: every rule named `test_*` in the loaded modules (policies and tests
 * together) is a test; it passes when it evaluates to `true`, fails when undefined or any other
 * value, errors when evaluation raises. `todo_test_*` rules are reported as skipped. Optional line
 * coverage comes from the evaluator's EvalTracer hooks.
 */
import type { Body, Expr, Location, Module, Rule, Term } from './ast';
import { RegoError } from './errors';
import type { EvalTracer, Policy } from './policy';
import { toJSONText } from './value';

export type TestOutcome = 'pass' | 'fail' | 'error' | 'skip';

export interface TestCase {
  /** `data.pkg.test_name`. */
  name: string;
  path: string[];
  file: string;
  location: Location;
}

export interface TestResult extends TestCase {
  outcome: TestOutcome;
  /** Why it failed or errored. */
  message?: string;
  durationNs: bigint;
}

export interface FileCoverage {
  file: string;
  covered: number[];
  notCovered: number[];
  /** Covered share of coverable lines, 0–100. */
  percent: number;
}

export interface CoverageReport {
  files: FileCoverage[];
  percent: number;
}

export interface TestRun {
  results: TestResult[];
  coverage?: CoverageReport;
}

function simpleRuleName(rule: Rule): string | null {
  const path = rule.head.ref.path;
  if (path.length !== 1 || path[0].type !== 'var' || rule.head.args !== null) return null;
  return path[0].name;
}

/** Tests and skipped (`todo_test_*`) tests in module order, one per package and name. */
export function discoverTests(modules: readonly Module[]): { tests: TestCase[]; todo: TestCase[] } {
  const seen = new Set<string>();
  const tests: TestCase[] = [];
  const todo: TestCase[] = [];
  for (const m of modules) {
    for (const rule of m.rules) {
      const name = simpleRuleName(rule);
      if (name === null) continue;
      const isTest = name.startsWith('test_');
      const isTodo = name.startsWith('todo_test_');
      if (!isTest && !isTodo) continue;
      const path = [...m.packagePath, name];
      const full = ['data', ...path].join('.');
      if (seen.has(full)) continue;
      seen.add(full);
      (isTest ? tests : todo).push({ name: full, path, file: m.file, location: rule.loc });
    }
  }
  return { tests, todo };
}

// ------------------------------------------------------------------------------------ coverage

function visitBody(body: Body, rows: Set<number>): void {
  for (const e of body) visitExpr(e, rows);
}

function visitExpr(e: Expr, rows: Set<number>): void {
  rows.add(e.loc.row);
  switch (e.type) {
    case 'expr':
      visitTerm(e.term, rows);
      break;
    case 'somein':
      visitTerm(e.collection, rows);
      break;
    case 'every':
      visitTerm(e.domain, rows);
      visitBody(e.body, rows);
      break;
    case 'some':
      break;
  }
}

/** Comprehension bodies nested in terms are coverable too. */
function visitTerm(t: Term, rows: Set<number>): void {
  switch (t.type) {
    case 'arraycomp':
    case 'setcomp':
      visitBody(t.body, rows);
      break;
    case 'objectcomp':
      visitBody(t.body, rows);
      break;
    case 'array':
    case 'set':
      t.items.forEach((x) => visitTerm(x, rows));
      break;
    case 'object':
      t.entries.forEach(([k, v]) => {
        visitTerm(k, rows);
        visitTerm(v, rows);
      });
      break;
    case 'call':
      t.args.forEach((x) => visitTerm(x, rows));
      break;
    case 'ref':
      t.path.forEach((x) => visitTerm(x, rows));
      break;
    default:
      break;
  }
}

/** Lines holding a rule head or a body expression: what coverage counts. */
export function coverableLines(module: Module): Set<number> {
  const rows = new Set<number>();
  for (const rule of module.rules) {
    rows.add(rule.loc.row);
    visitBody(rule.body, rows);
    for (const e of rule.elses) {
      rows.add(e.loc.row);
      visitBody(e.body, rows);
    }
  }
  return rows;
}

/** Records covered lines per file: expressions evaluated and rules that produced a value. */
export class CoverageTracer implements EvalTracer {
  readonly lines = new Map<string, Set<number>>();

  private mark(file: string, row: number): void {
    let set = this.lines.get(file);
    if (!set) this.lines.set(file, (set = new Set()));
    set.add(row);
  }

  onExpr(loc: Location): void {
    this.mark(loc.file, loc.row);
  }

  onRule(rule: Rule, succeeded: boolean, at: Location): void {
    if (!succeeded) return;
    this.mark(rule.loc.file, rule.loc.row);
    // An `else` that produced the value covers its own line, body or not (`else := "other"`).
    this.mark(at.file, at.row);
  }

  /** An `else` line counts as covered once an expression of its body was evaluated. */
  private markElses(m: Module, hit: Set<number>): void {
    for (const rule of m.rules) {
      for (const e of rule.elses) {
        const rows = new Set<number>();
        visitBody(e.body, rows);
        if ([...rows].some((r) => hit.has(r))) hit.add(e.loc.row);
      }
    }
  }

  report(modules: readonly Module[]): CoverageReport {
    let coverable = 0;
    let covered = 0;
    const files = modules.map((m): FileCoverage => {
      const lines = [...coverableLines(m)].sort((a, b) => a - b);
      const hit = new Set(this.lines.get(m.file) ?? []);
      this.markElses(m, hit);
      const coveredLines = lines.filter((l) => hit.has(l));
      coverable += lines.length;
      covered += coveredLines.length;
      return {
        file: m.file,
        covered: coveredLines,
        notCovered: lines.filter((l) => !hit.has(l)),
        percent: lines.length === 0 ? 100 : (100 * coveredLines.length) / lines.length,
      };
    });
    return { files, percent: coverable === 0 ? 100 : (100 * covered) / coverable };
  }
}

// ------------------------------------------------------------------------------------ running

export interface RunTestsOptions {
  coverage?: boolean;
  /** Where `print()` output goes; default: discarded. */
  print?: (msg: string) => void;
  /** Per-test evaluation budget in ms. */
  timeoutMs?: number;
}

function runOne(policy: Policy, test: TestCase, tracer: CoverageTracer | undefined, options: RunTestsOptions): TestResult {
  const start = process.hrtime.bigint();
  const finish = (outcome: TestOutcome, message?: string): TestResult => ({
    ...test,
    outcome,
    ...(message !== undefined ? { message } : {}),
    durationNs: process.hrtime.bigint() - start,
  });
  try {
    const value = policy.evaluate(test.path, {
      tracer,
      print: options.print ?? (() => undefined),
      deadline: options.timeoutMs === undefined ? undefined : performance.now() + options.timeoutMs,
    });
    if (value === true) return finish('pass');
    return finish('fail', value === undefined ? 'undefined' : `value is ${toJSONText(value)}, not true`);
  } catch (e) {
    if (e instanceof RegoError) return finish('error', e.format());
    throw e;
  }
}

/** Runs every discovered test against a compiled policy. */
export function runTests(policy: Policy, modules: readonly Module[], options: RunTestsOptions = {}): TestRun {
  const { tests, todo } = discoverTests(modules);
  const tracer = options.coverage ? new CoverageTracer() : undefined;
  const results = tests.map((t) => runOne(policy, t, tracer, options));
  results.push(...todo.map((t): TestResult => ({ ...t, outcome: 'skip', durationNs: 0n })));
  return { results, ...(tracer ? { coverage: tracer.report(modules) } : {}) };
}
