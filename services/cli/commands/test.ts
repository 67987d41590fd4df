import type { TestArgs } from '../command-args';
import { processIO, type CommandIO } from '../command-io';
import { loadPolicy } from '../policy-loading';
import { errorsText, isUserError } from '../rego-output';
import { runTests, type CoverageReport, type TestOutcome, type TestResult, type TestRun } from '../../rego/tester';

const RULE = '-'.repeat(80);
const COVERAGE_THRESHOLD_EXIT = 2;
const LABEL: Record<TestOutcome, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIPPED' };

/**
 * `mcp-authz test [-v] [--coverage [--threshold N]] PATH...` like `opa test`: exit 0 only when
 * every test passes (skipped `todo_test_*` allowed); 2 when coverage is below the threshold.
 */
export async function run(args: TestArgs, io: CommandIO = processIO): Promise<number> {
  let outcome: TestRun;
  try {
    const { policy, modules } = await loadPolicy(args.paths);
    outcome = runTests(policy, modules, {
      coverage: args.coverage || args.threshold !== undefined,
      print: args.verbose ? (msg) => io.stdout(msg + '\n') : undefined,
    });
  } catch (e) {
    if (!isUserError(e)) throw e;
    io.stderr(errorsText(e));
    return 1;
  }
  const { results, coverage } = outcome;
  const ran = results.filter((r) => r.outcome !== 'skip');
  if (results.length === 0) {
    io.stderr('no test cases found\n');
    return 1;
  }
  const shown = args.verbose ? results : results.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
  io.stdout(formatResults(shown));
  io.stdout(formatSummary(results, shown.length > 0));
  let code = ran.every((r) => r.outcome === 'pass') ? 0 : 1;
  if (coverage) {
    io.stdout(formatCoverage(coverage));
    if (args.threshold !== undefined && coverage.percent < args.threshold) {
      io.stderr(`coverage ${coverage.percent.toFixed(1)}% is below the threshold of ${args.threshold}%\n`);
      if (code === 0) code = COVERAGE_THRESHOLD_EXIT;
    }
  }
  return code;
}

function duration(ns: bigint): string {
  const n = Number(ns);
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}s`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}ms`;
  return `${(n / 1e3).toFixed(0)}µs`;
}

function formatResults(results: TestResult[]): string {
  const byFile = new Map<string, TestResult[]>();
  for (const r of results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push(`${file}:`);
    for (const r of list) {
      out.push(r.outcome === 'skip' ? `${r.name}: ${LABEL.skip}` : `${r.name}: ${LABEL[r.outcome]} (${duration(r.durationNs)})`);
      if (r.outcome === 'error' && r.message) out.push(`  ${r.message}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function formatSummary(results: TestResult[], listed: boolean): string {
  const total = results.length;
  const count = (o: TestOutcome): number => results.filter((r) => r.outcome === o).length;
  const lines = listed ? [RULE] : [];
  for (const o of ['pass', 'fail', 'skip', 'error'] as const) {
    const n = count(o);
    if (n > 0 || o === 'pass') lines.push(`${LABEL[o]}: ${n}/${total}`);
  }
  return lines.join('\n') + '\n';
}

function ranges(lines: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    parts.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function formatCoverage(report: CoverageReport): string {
  const width = Math.max(5, ...report.files.map((f) => f.file.length));
  const lines = ['', 'COVERAGE', RULE];
  for (const f of report.files) {
    const missing = f.notCovered.length > 0 ? `  not covered: ${ranges(f.notCovered)}` : '';
    lines.push(`${f.file.padEnd(width)}  ${f.percent.toFixed(1).padStart(5)}%  (${f.covered.length}/${f.covered.length + f.notCovered.length} lines)${missing}`);
  }
  lines.push(RULE, `${'TOTAL'.padEnd(width)}  ${report.percent.toFixed(1).padStart(5)}%`);
  return lines.join('\n') + '\n';
}
