/**
 * Benchmark of the repository's own policies (policies/ over policies/data.json) on the inputs next
 * to this file: CPU µs per decision (median of batches) for each, plus the decision-log mask
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

/**
 * Median µs per evaluation over batches of about BATCH_TARGET_MS, in process CPU time: on a shared
 * machine wall-clock time also counts the time other processes hold the cores.
 */
function measure(policy: Policy, c: Case): number {
  const run = (): unknown => policy.evaluate(c.entry, { input: c.input, print: () => undefined });
  const warmEnd = performance.now() + 300;
  let n = 0;
  while (performance.now() < warmEnd) {
    run();
    n++;
  }
  const perBatch = Math.max(1, Math.round((n / 300) * BATCH_TARGET_MS));
  const samples: number[] = [];
  const end = performance.now() + BENCH_MS;
  while (performance.now() < end) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < perBatch; i++) run();
    const used = process.cpuUsage(t0);
    samples.push((used.user + used.system) / perBatch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function main(): Promise<void> {
  const loaded = await loadPaths([path.join(repoRoot(), 'policies')]);
  const modules = loaded.modules.map((f) => parseModule(f.source, f.file));
  const policy = compilePolicy(modules, loaded.data);
  const json = process.argv.includes('--json');
  const results: Record<string, number> = {};
  for (const c of cases(policy)) {
    if (policy.evaluate(c.entry, { input: c.input }) === undefined) throw new Error(`${c.name}: undefined`);
    results[c.name] = measure(policy, c);
    if (!json) console.log(`${c.name.padEnd(40)} ${results[c.name].toFixed(1).padStart(8)} µs/decision`);
  }
  if (json) console.log(JSON.stringify(results));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
