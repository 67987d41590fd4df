import * as fs from 'fs';
import type { ConformanceArgs } from '../command-args';
import { processIO, type CommandIO } from '../command-io';
import { readConformanceDir } from '../../rego/loader';
import { parseCaseFile, policyEngine, runConformance, type ConformanceReport } from '../../rego/conformance';
import skipList from '../../rego/conformance-skips.json';

const SKIPS = skipList as Record<string, string>;

/** `mcp-authz conformance DIR [--json] [-v]`: exit 0 when the run completes, whatever the pass rate. */
export async function run(args: ConformanceArgs, io: CommandIO = processIO): Promise<number> {
  if (!fs.existsSync(args.dir) || !fs.statSync(args.dir).isDirectory()) {
    io.stderr(`mcp-authz conformance: ${args.dir}: not a directory\n`);
    return 1;
  }
  let report: ConformanceReport;
  try {
    const cases = readConformanceDir(args.dir).flatMap((f) => parseCaseFile(f.text, f.category, f.file));
    report = runConformance(cases, policyEngine(), { skips: SKIPS });
  } catch (e) {
    io.stderr(`mcp-authz conformance: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (args.json) {
    const { failures, ...totals } = report;
    io.stdout(JSON.stringify(args.verbose ? { ...totals, failures } : totals) + '\n');
    return 0;
  }
  io.stdout(formatReport(report, args.verbose));
  return 0;
}

function formatReport(report: ConformanceReport, verbose: boolean): string {
  const lines: string[] = [];
  if (verbose) {
    for (const f of report.failures) lines.push(`FAIL ${f.note} (${f.category}/${f.file})\n  ${f.reason}`);
    if (report.failures.length > 0) lines.push('');
  }
  const names = Object.keys(report.categories).sort();
  const width = Math.max(8, ...names.map((n) => n.length));
  lines.push(`${'CATEGORY'.padEnd(width)}  PASSED  FAILED  SKIPPED`);
  for (const name of names) {
    const c = report.categories[name];
    lines.push(`${name.padEnd(width)}  ${String(c.passed).padStart(6)}  ${String(c.failed).padStart(6)}  ${String(c.skipped).padStart(7)}`);
  }
  const pct = report.total === 0 ? 0 : (100 * report.passed) / report.total;
  lines.push('', `PASS: ${report.passed}/${report.total} (${pct.toFixed(1)}%), FAIL: ${report.failed}, SKIP: ${report.skipped}`);
  return lines.join('\n') + '\n';
}
