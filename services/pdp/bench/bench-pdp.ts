import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../common';

/**
 * `npm run bench:pdp`: starts the PDP (through the CLI, with PDP_WORKERS workers) on the benchmark
 * RBAC bundle and on the repository's policies, with decisions audited to a stub audit service
 * that accepts every batch, then drives it with autocannon at 32 connections, with one input
 * repeated (decision cache), a unique input per request and, on RBAC, a repeated denial (never
 * cached). Prints req/s, client-side p50/p99, the server-side decision time from the
 * `Server-Timing` header, the CPU time the PDP processes spent per request (from /proc; it depends
 * less on what else the machine is running than req/s does, though a busy sibling hyperthread still
 * inflates it) and the machine's 1-minute load average before each run.
 * Environment: BENCH_DURATION (seconds, default 10), BENCH_CONNECTIONS (32), PDP_WORKERS (cores),
 * BENCH_ONLY (run only scenarios whose name contains it), BENCH_CPU_PROF (a directory: the PDP primary and
 * workers write V8 CPU profiles there when they exit, for `node --cpu-prof` analysis).
 */

// autocannon ships no types; this is the part of its API the benchmark uses.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = require('autocannon') as Autocannon;

const ROOT = path.resolve(__dirname, '../../../..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WORKERS = process.env.PDP_WORKERS ?? String(os.availableParallelism());
const ONLY = process.env.BENCH_ONLY ?? '';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
// Linux reports process CPU time in clock ticks of 1/100 s.
const CLOCK_TICKS = 100;

interface Scenario {
  name: string;
  path: string;
  body: (n: number) => unknown;
}

interface Server {
  bundle: string;
  scenarios: Scenario[];
}

const SERVERS: Server[] = [
  {
    bundle: path.join(ROOT, 'services/pdp/bench/rbac-bundle'),
    scenarios: [
      { name: 'rbac /v1/data repeated', path: '/v1/data/rbac/decision', body: () => ({ input: { user: 'bob', action: 'update', type: 'finance' } }) },
      { name: 'rbac /v1/data unique', path: '/v1/data/rbac/decision', body: (n) => ({ input: { user: 'bob', action: 'update', type: 'finance', request: n } }) },
      // Denials are not cached (cache_ttl 0): every one is evaluated.
      { name: 'rbac /v1/data denied repeated', path: '/v1/data/rbac/decision', body: () => ({ input: { user: 'eve', action: 'update', type: 'finance' } }) },
    ],
  },
  {
    bundle: path.join(ROOT, 'policies'),
    scenarios: [
      { name: 'gateway /v1/authorize repeated', path: '/v1/authorize', body: () => authorizeBody('hello') },
      { name: 'gateway /v1/authorize unique', path: '/v1/authorize', body: (n) => authorizeBody(`hello ${n}`) },
    ],
  },
];

function authorizeBody(message: string): unknown {
  return {
    action: 'tools/call',
    server_name: 'everything',
    tool_name: 'echo',
    principal: { id: 'alice', type: 'user' },
    parameters: { message },
    context: { ip: '127.0.0.1' },
  };
}

async function main(): Promise<void> {
  console.log(`PDP benchmark: ${CONNECTIONS} connections, ${DURATION} s per run, PDP_WORKERS=${WORKERS}, ${os.availableParallelism()} cores`);
  const rows: Record<string, unknown>[] = [];
  const audit = await startAuditStub();
  for (const server of SERVERS) {
    const scenarios = server.scenarios.filter((scenario) => scenario.name.includes(ONLY));
    if (scenarios.length === 0) continue;
    const port = await freePort();
    const child = startPdp(server.bundle, port, audit.url);
    try {
      const failure = await waitForBundle(port, child);
      if (failure) {
        console.log(`skipped ${path.relative(ROOT, server.bundle)}: ${failure}`);
        continue;
      }
      for (const scenario of scenarios) {
        await run(port, scenario, 2, child);
        rows.push(await run(port, scenario, DURATION, child));
      }
    } finally {
      await stop(child);
    }
  }
  audit.server.close();
  console.log(`audit batches received: ${audit.received()}`);
  console.table(rows);
  console.log(JSON.stringify({ connections: CONNECTIONS, duration_s: DURATION, workers: Number(WORKERS), results: rows }));
}

async function run(port: number, scenario: Scenario, seconds: number, server: ChildProcess): Promise<Record<string, unknown>> {
  let counter = 0;
  // What else the machine was running: req/s and latencies mean little when the load was high.
  const loadBefore = os.loadavg()[0];
  const cpuBefore = processTreeCpuMs(server.pid);
  const decisionMs: number[] = [];
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: scenario.path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: JSON.stringify(scenario.body(counter++)) }),
        onResponse: (_status: number, _body: string, _context: unknown, headers: Record<string, string>) => {
          const match = /dur=([\d.]+)/.exec(headers['Server-Timing'] ?? headers['server-timing'] ?? '');
          if (match) decisionMs.push(Number(match[1]));
        },
      },
    ],
  });
  const cpuMs = processTreeCpuMs(server.pid) - cpuBefore;
  decisionMs.sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'decision p50 ms': percentile(decisionMs, 0.5),
    'decision p99 ms': percentile(decisionMs, 0.99),
    'server CPU us/req': Number.isNaN(cpuMs) ? NaN : Math.round((cpuMs * 1000) / Math.max(1, result.requests.total)),
    'non-2xx': result.non2xx,
    'load 1m before': Math.round(loadBefore * 100) / 100,
    errors: result.errors + result.timeouts,
  };
}

/** User and system CPU of a process and its children (the cluster workers), in ms; NaN without /proc. */
function processTreeCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const [utime, stime] = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).map(Number);
    const children = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    return ((utime + stime) * 1000) / CLOCK_TICKS + children.reduce((sum, child) => sum + processTreeCpuMs(child), 0);
  } catch {
    return NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function startPdp(bundle: string, port: number, auditUrl: string): ChildProcess {
  // Cluster workers inherit the primary's execArgv, so they are profiled too.
  const profile = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF_DIR)}`] : [];
  return spawn(process.execPath, [...profile, path.join(ROOT, 'bin/mcp-authz.js'), 'serve', 'pdp'], {
    cwd: ROOT,
    env: { ...process.env, PDP_BUNDLE: bundle, PDP_PORT: String(port), PDP_WORKERS: WORKERS, AUDIT_URL: auditUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Undefined once the bundle is active; otherwise why it is not. */
async function waitForBundle(port: number, child: ChildProcess): Promise<string | undefined> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) return `the PDP exited with code ${child.exitCode}`;
    const res = await fetch(`http://127.0.0.1:${port}/health?bundles`).catch(() => undefined);
    if (res?.status === 200) return undefined;
    if (res?.status === 500) return `bundle not activated: ${await res.text()}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return 'the PDP did not become healthy';
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Answers every `POST /v1/events` with 202 and counts the batches without reading them. */
async function startAuditStub(): Promise<{ url: string; server: http.Server; received: () => number }> {
  let batches = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      batches++;
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":0,"duplicates":0}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, server, received: () => batches };
}


main().catch((error) => {
  console.error(error);
  process.exit(1);
});
