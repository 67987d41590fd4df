/**
 * Benchmark of the repository's own policies (policies/ over policies/data.json) on the inputs next
 * to this file: µs per decision (median of batches, wall clock and CPU) for each, plus the decision-log mask
 * (data.system.log.mask) the PDP evaluates once per unique decision.
 * Run: `npm run bench:policies` (add `--cpu-prof` to node to profile; `--json` for machine output).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadPaths } from '../../loader';
import { parseModule } from '../../parser';
import { compilePolicy, type Policy } from '../../policy';
import { fromJSON, toJSON, type Value } from '../../value';

interface Case {
  name: string;
  entry: string[];
  input: Value;
}

const GATEWAY = ['mcp', 'gateway', 'decision'];
const A2A = ['mcp', 'a2a', 'decision'];
const MASK = ['system', 'log', 'mask'];
const BATCH_TARGET_MS = 20;
const BENCH_MS = 1500;
const WARMUP_MS = 1500;

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'policies', 'data.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('policies/ not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

function readInput(file: string): Value {
  return fromJSON(JSON.parse(fs.readFileSync(path.join(repoRoot(), 'services/rego/bench/policies', file), 'utf8')));
}

function cases(policy: Policy): Case[] {
  const gateway: [string, string][] = [
    ['allowed echo for alice', 'echo-alice.json'],
    ['denied critical tool with time zone', 'critical-denied-tz.json'],
    ['tools/list', 'tools-list.json'],
  ];
  const out: Case[] = gateway.map(([name, file]) => ({ name, entry: GATEWAY, input: readInput(file) }));
  out.push({ name: 'a2a query', entry: A2A, input: readInput('a2a.json') });
  const denied = out[1].input;
  const result = policy.evaluate(GATEWAY, { input: denied })!;
  out.push({ name: 'log mask (denied critical tool)', entry: MASK, input: fromJSON({ input: toJSON(denied), result: toJSON(result) }) });
  return out;
}

interface Figures {
  /** Median over batches of wall-clock µs per decision (what `mcp-authz bench` reports). */
  wall: number;
  /** The same in process CPU time (includes V8's GC and compiler threads; less disturbed by other processes). */
  cpu: number;
}

function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

/** µs per evaluation over batches of about BATCH_TARGET_MS. */
function measure(policy: Policy, c: Case): Figures {
  const run = (): unknown => policy.evaluate(c.entry, { input: c.input, print: () => undefined });
  const probeEnd = performance.now() + 100;
  let n = 0;
  while (performance.now() < probeEnd) {
    run();
    n++;
  }
  const perBatch = Math.max(1, Math.round((n / 100) * BATCH_TARGET_MS));
  const wall: number[] = [];
  const cpu: number[] = [];
  const end = performance.now() + BENCH_MS;
  while (performance.now() < end) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < perBatch; i++) run();
    const used = process.cpuUsage(cpu0);
    wall.push(((performance.now() - t0) * 1000) / perBatch);
    cpu.push((used.user + used.system) / perBatch);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

async function main(): Promise<void> {
  const loaded = await loadPaths([path.join(repoRoot(), 'policies')]);
  const modules = loaded.modules.map((f) => parseModule(f.source, f.file));
  const policy = compilePolicy(modules, loaded.data);
  const json = process.argv.includes('--json');
  const all = cases(policy);
  // Warm up on all inputs in turn, as a PDP sees mixed traffic: the JIT then optimises for all of
  // them (one input alone gives rosier, monomorphic figures).
  const warmEnd = performance.now() + WARMUP_MS;
  while (performance.now() < warmEnd) for (const c of all) policy.evaluate(c.entry, { input: c.input });
  const results: Record<string, Figures> = {};
  if (!json) console.log(`${'µs per decision (median of batches)'.padEnd(40)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)}`);
  for (const c of all) {
    if (policy.evaluate(c.entry, { input: c.input }) === undefined) throw new Error(`${c.name}: undefined`);
    const f = (results[c.name] = measure(policy, c));
    if (!json) console.log(`${c.name.padEnd(40)} ${f.wall.toFixed(1).padStart(8)} ${f.cpu.toFixed(1).padStart(8)}`);
  }
  if (json) console.log(JSON.stringify(results));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
