import type { BenchArgs } from '../command-args';
import { processIO, type CommandIO } from '../command-io';
import { loadInput, loadPolicy } from '../policy-loading';
import { errorsText, isUserError } from '../rego-output';
import type { Body } from '../../rego/ast';
import { parseQuery } from '../../rego/parser';

const DEFAULT_BENCHTIME_MS = 2000;
const WARMUP_MS = 300;
/** Operations per timed batch are chosen so one batch takes about this long. */
const BATCH_TARGET_NS = 1_000_000;

/**
 * `mcp-authz bench [-d PATH]... [-i FILE] [--json] QUERY` like `opa bench`: compile once, warm up,
 * then time batches of evaluations; ns/op is the median over batches. A query that is a plain
 * `data.a.b` reference is timed through Policy.evaluate (the PDP's hot path), any other through
 * Policy.query.
 */
export async function run(args: BenchArgs, io: CommandIO = processIO): Promise<number> {
  let operation: () => unknown;
  let mode: string;
  try {
    const { policy } = await loadPolicy(args.data);
    const input = loadInput(args.input);
    const body = parseQuery(args.query, 'query');
    const path = documentPath(body);
    const options = { input, print: () => undefined };
    operation = path ? () => policy.evaluate(path, options) : () => policy.query(body, options);
    mode = path ? 'Policy.evaluate' : 'Policy.query';
    if (isUndefined(operation())) io.stderr('warning: the query is undefined for this input\n');
  } catch (e) {
    if (!isUserError(e)) throw e;
    io.stderr(errorsText(e));
    return 1;
  }
  const result = measure(operation, args.benchtimeMs ?? DEFAULT_BENCHTIME_MS);
  if (args.json) {
    io.stdout(JSON.stringify({ ns_per_op: Math.round(result.medianNs), samples: result.samples }) + '\n');
  } else {
    io.stdout(table([
      ['samples', String(result.samples)],
      ['ns/op (median of batches)', result.medianNs.toFixed(0)],
      ['ns/op (mean)', result.meanNs.toFixed(0)],
      ['ns/op (p90 of batches)', result.p90Ns.toFixed(0)],
      ['evaluated with', mode],
    ]));
  }
  return 0;
}

/** `data.a.b.c` (only string operands, no modifiers) → ['a', 'b', 'c']. */
function documentPath(body: Body): string[] | null {
  if (body.length !== 1) return null;
  const e = body[0];
  if (e.type !== 'expr' || e.negated || e.with.length > 0 || e.term.type !== 'ref') return null;
  const [head, ...rest] = e.term.path;
  if (head.type !== 'var' || head.name !== 'data') return null;
  const path: string[] = [];
  for (const t of rest) {
    if (t.type !== 'scalar' || typeof t.value !== 'string') return null;
    path.push(t.value);
  }
  return path;
}

function isUndefined(result: unknown): boolean {
  return result === undefined || (Array.isArray(result) && result.length === 0);
}

interface Measurement {
  samples: number;
  medianNs: number;
  meanNs: number;
  p90Ns: number;
}

function measure(operation: () => unknown, benchtimeMs: number): Measurement {
  let sink: unknown;
  const warmupEnd = performance.now() + Math.min(WARMUP_MS, benchtimeMs);
  let warmupOps = 0;
  const warmupStart = process.hrtime.bigint();
  while (performance.now() < warmupEnd) {
    sink = operation();
    warmupOps++;
  }
  const warmupNsPerOp = Number(process.hrtime.bigint() - warmupStart) / Math.max(1, warmupOps);
  const batch = Math.max(1, Math.round(BATCH_TARGET_NS / Math.max(1, warmupNsPerOp)));
  const perOp: number[] = [];
  let samples = 0;
  let totalNs = 0;
  const end = performance.now() + benchtimeMs;
  do {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) sink = operation();
    const ns = Number(process.hrtime.bigint() - t0);
    perOp.push(ns / batch);
    samples += batch;
    totalNs += ns;
  } while (performance.now() < end);
  void sink;
  perOp.sort((a, b) => a - b);
  return {
    samples,
    medianNs: perOp[Math.floor(perOp.length / 2)],
    meanNs: totalNs / samples,
    p90Ns: perOp[Math.min(perOp.length - 1, Math.floor(perOp.length * 0.9))],
  };
}

function table(rows: [string, string][]): string {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const rule = `+-${'-'.repeat(w0)}-+-${'-'.repeat(w1)}-+`;
  return [rule, ...rows.map(([k, v]) => `| ${k.padEnd(w0)} | ${v.padStart(w1)} |`), rule].join('\n') + '\n';
}
