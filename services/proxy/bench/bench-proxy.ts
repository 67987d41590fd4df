import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { freePort } from '../../common';
import { perRequestAbortFetch } from './per-request-abort-fetch';
import { dispatcherMicrobench } from './dispatcher-bench';

/**
 * `npm run bench:proxy`: the same `tools/call` (server-everything's `echo`, over Streamable HTTP)
 * directly against the upstream and through the proxy, with the real PDP (repository policies) in the
 * loop, decision cache warm (same arguments) and cold (unique arguments: neither the proxy's nor the
 * PDP's cache can answer). Each scenario runs SESSIONS concurrent SDK client sessions, each calling
 * CALLS times in a loop after a warm-up; it prints p50/p99 per scenario, the latency the proxy adds, the
 * CPU time per call of the upstream and of the proxy, and the proxy's memory before and after. PDP,
 * proxy, upstream and audit stub are separate processes, as deployed. It first times the proxy's own
 * enforcement path in-process (no sockets), which machine load does not distort the way it distorts
 * the end-to-end figures.
 *
 * Those closed-loop scenarios (each session sends its next call as soon as the previous one is
 * answered) measure throughput at saturation: at 100 sessions client, upstream, PDP and proxy keep the
 * machine's cores busy and latency is mostly queueing. The open-loop scenarios then hold SESSIONS
 * sessions open and issue calls on a timetable, for each rate of BENCH_RATES each session one call every
 * SESSIONS / rate seconds (a fixed phase per session, not waiting for earlier answers; latency counted
 * from the send), at the same aggregate rate directly and through the proxy: the latency the proxy adds
 * to 100 concurrent sessions at a rate the machine can serve. The load average is printed with each scenario.
 * Environment: BENCH_SESSIONS (100), BENCH_CALLS (30 per session), BENCH_RATES (open loop, calls/s in all:
 * 50,200), BENCH_OPEN_SECONDS (10 per open-loop scenario), PDP_WORKERS (2, as deployed), PROXY_NODE_OPTIONS
 * (NODE_OPTIONS of the proxy process, none by default), BENCH_PDP_TRANSPORT (`unix`, the default, as `serve all`
 * wires it: the proxy asks the PDP over a Unix domain socket; `tcp`: over loopback TCP), BENCH_PROXY_NODE_ARGS (further node flags for the proxy
 * process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/proxy-prof`), BENCH_TRACE_DIR (a file per scenario there with
 * each call's send time, epoch ms, and latency, to line outliers up with GC logs of the processes),
 * BENCH_SERVICE_WARM_UP (20000 unique calls through the proxy before the first scenario; 0: none).
 *
 * Latency is measured in this process, which runs all the client sessions and has GC pauses of its own (several ms each on
 * the development VM): a call it was paused during is answered late whatever the server did. Each scenario therefore also
 * prints p50/p99 without the calls that one of this process's GC pauses overlapped ("clean"), and, open loop, how late calls
 * left against their timetable.
 */

const ROOT = path.resolve(__dirname, '../../../..');
const BIN = path.join(ROOT, 'bin/mcp-authz.js');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100);
const CALLS = Number(process.env.BENCH_CALLS ?? 30);
const WARM_UP_CALLS = 200;
// Unique calls through the proxy before any scenario, so upstream, PDP and proxy run JIT-compiled code as a
// long-running deployment does: a PDP asked a few hundred questions still answers 2-3 times slower than after
// ~15,000 (docs/proxy.md, "Warm-up").
const SERVICE_WARM_UP_CALLS = Number(process.env.BENCH_SERVICE_WARM_UP ?? 20_000);
const SERVICE_WARM_UP_SESSIONS = 20;
// The target: what the proxy may add to a call with 100 concurrent sessions.
const TARGET_MS = { p50: 1, p99: 5 };
const OPEN_RATES = (process.env.BENCH_RATES ?? '50,200').split(',').map(Number);
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 10);
const TRACE_DIR = process.env.BENCH_TRACE_DIR;
// As deployed in production (deploy/overlays/prod, deploy/compose): two PDP workers.
const PDP_WORKERS = process.env.PDP_WORKERS ?? '2';
// NODE_OPTIONS of the proxy process: none, as deployed; `--max-semi-space-size=64` measures the larger young
// generation docs/proxy.md "Benchmark" discusses.
const PROXY_NODE_OPTIONS = process.env.PROXY_NODE_OPTIONS ?? '';
// How the proxy reaches the PDP: a Unix domain socket, as `serve all` does on one host, or loopback TCP, as between containers.
const PDP_TRANSPORT = process.env.BENCH_PDP_TRANSPORT ?? 'unix';

interface Figures {
  name: string;
  calls: number;
  errors: number;
  p50: number;
  p99: number;
  /** p50 and p99 of the calls that no GC pause of the bench process itself overlapped: what the servers took. */
  cleanP50: number;
  cleanP99: number;
  /** Calls left out of cleanP50/cleanP99, and the bench process's GC pause time during the scenario. */
  clientPausedCalls: number;
  clientGcMs: number;
  /** Open loop: how late the bench sent its calls against their timetable (p99, ms); late sends mean the client, not the servers, fell behind. */
  sendLagP99?: number;
  /** CPU time the proxy process spent per call (from /proc), when the scenario went through it. */
  proxyCpuUs?: number;
  /** CPU time the upstream process spent per call: what one MCP server hop costs on this machine. */
  upstreamCpuUs: number;
  /** Mean time per call inside the proxy's dispatcher but outside the upstream call (policy, pinning, limits), from its metrics. */
  enforcementUs?: number;
  /** One-minute load average at the end of the scenario. */
  load: number;
}

/** How a scenario issues its calls: closed loop (`calls` per session, back to back) or open loop (`rate` calls/s in all for `seconds`). */
type Pacing = { kind: 'closed'; calls: number } | { kind: 'open'; rate: number; seconds: number };

interface DurationSums {
  request: number;
  upstream: number;
  count: number;
}

/** Sums of the proxy's own tools/call histograms: handling time and the upstream part of it. */
async function durationSums(metricsUrl: string): Promise<DurationSums> {
  const text = await (await fetch(metricsUrl)).text();
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    request: value(/^proxy_mcp_request_duration_seconds_sum\{[^}]*method="tools\/call"[^}]*\} ([0-9.e+-]+)$/m),
    count: value(/^proxy_mcp_request_duration_seconds_count\{[^}]*method="tools\/call"[^}]*\} ([0-9.e+-]+)$/m),
    upstream: value(/^proxy_upstream_request_duration_seconds_sum\{[^}]*method="tools\/call"[^}]*outcome="ok"[^}]*\} ([0-9.e+-]+)$/m),
  };
}

// Linux reports process CPU time in clock ticks of 1/100 s.
const CLOCK_TICKS = 100;

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-proxy-'));
  if (TRACE_DIR) fs.mkdirSync(TRACE_DIR, { recursive: true });
  const children: ChildProcess[] = [];
  print(`enforcement path in-process (tools/call, decision cached, no transport): ${(await dispatcherMicrobench()).toFixed(1)} us per call`);
  const auditStub = await startAuditStub();
  try {
    const upstreamPort = await freePort();
    const upstream = await startProcess(process.execPath, [EVERYTHING, 'streamableHttp'], { PORT: String(upstreamPort) }, /listening/i);
    children.push(upstream);
    const upstreamPid = upstream.pid as number;
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}/mcp`;

    const pdpPort = await freePort();
    const pdpSocket = path.join(work, 'pdp.sock');
    const pdpUrl = PDP_TRANSPORT === 'unix' ? `unix:${pdpSocket}` : `http://127.0.0.1:${pdpPort}`;
    children.push(
      await startProcess(
        process.execPath,
        [BIN, 'serve', 'pdp'],
        { PDP_PORT: String(pdpPort), PDP_SOCKET: PDP_TRANSPORT === 'unix' ? pdpSocket : '', PDP_WORKERS, AUDIT_URL: auditStub.url, LOG_LEVEL: 'warn' },
        null,
        `http://127.0.0.1:${pdpPort}/ready`,
      ),
    );

    const proxyPort = await freePort();
    const config = path.join(work, 'mcp-servers.json');
    fs.writeFileSync(config, JSON.stringify({ mcpServers: { everything: { url: upstreamUrl } }, proxy: { localPrincipal: { id: 'alice', type: 'user' } } }));
    const proxy = await startProcess(
      process.execPath,
      [...(process.env.BENCH_PROXY_NODE_ARGS?.split(' ').filter(Boolean) ?? []), BIN, 'serve', 'proxy'],
      {
        PROXY_PORT: String(proxyPort),
        PROXY_CONFIG: config,
        PROXY_PINS_FILE: path.join(work, 'pins.json'),
        PROXY_RATE_LIMIT: '0',
        PDP_URL: pdpUrl,
        AUDIT_URL: auditStub.url,
        LOG_LEVEL: 'warn',
        NODE_OPTIONS: [process.env.NODE_OPTIONS, PROXY_NODE_OPTIONS].filter(Boolean).join(' '),
      },
      null,
      `http://127.0.0.1:${proxyPort}/ready`,
    );
    children.push(proxy);
    const proxyUrl = `http://127.0.0.1:${proxyPort}/mcp/everything`;
    const metricsUrl = `http://127.0.0.1:${proxyPort}/metrics`;

    const rssAtStart = rssMb(proxy.pid as number);
    if (SERVICE_WARM_UP_CALLS > 0) print(`service warm-up: ${await warmUpServices(proxyUrl)}`);
    const rssBeforeScenarios = rssMb(proxy.pid as number);
    const results: Figures[] = [];
    const groups: { label: string; sessions: number; pacing: Pacing }[] = [
      { label: 'x1', sessions: 1, pacing: { kind: 'closed', calls: 300 } },
      { label: `x${SESSIONS}`, sessions: SESSIONS, pacing: { kind: 'closed', calls: CALLS } },
      ...OPEN_RATES.map((rate) => ({ label: `x${SESSIONS} @${rate}/s`, sessions: SESSIONS, pacing: { kind: 'open', rate, seconds: OPEN_SECONDS } as Pacing })),
    ];
    for (const { label, sessions, pacing } of groups) {
      results.push(await scenario(`direct     ${label}`, upstreamUrl, sessions, pacing, false, upstreamPid));
      results.push(await scenario(`proxy warm ${label}`, proxyUrl, sessions, pacing, false, upstreamPid, proxy.pid, metricsUrl));
      results.push(await scenario(`proxy cold ${label}`, proxyUrl, sessions, pacing, true, upstreamPid, proxy.pid, metricsUrl));
    }
    const rssAfter = rssMb(proxy.pid as number);

    print('\n"clean": without the calls a GC pause of the bench client itself overlapped');
    print('scenario                   calls  errors   p50 ms   p99 ms  clean p50  clean p99  client GC ms  upstream CPU us/call  proxy CPU us/call  enforcement us/call  load');
    for (const r of results) {
      const cpu = r.proxyCpuUs === undefined ? ''.padStart(17) : r.proxyCpuUs.toFixed(0).padStart(17);
      const enforcement = (r.enforcementUs === undefined ? '' : r.enforcementUs.toFixed(0)).padStart(20);
      print(`${r.name.padEnd(25)} ${String(r.calls).padStart(6)} ${String(r.errors).padStart(7)} ${r.p50.toFixed(3).padStart(8)} ${r.p99.toFixed(3).padStart(8)} ${ms(r.cleanP50).padStart(10)} ${ms(r.cleanP99).padStart(10)} ${r.clientGcMs.toFixed(0).padStart(13)} ${r.upstreamCpuUs.toFixed(0).padStart(20)} ${cpu} ${enforcement} ${r.load.toFixed(2).padStart(5)}`);
    }
    const verdicts: string[] = [];
    for (const { label, pacing } of groups) {
      const direct = results.find((r) => r.name === `direct     ${label}`) as Figures;
      for (const kind of ['warm', 'cold']) {
        const through = results.find((r) => r.name === `proxy ${kind} ${label}`) as Figures;
        const added = { p50: through.p50 - direct.p50, p99: through.p99 - direct.p99 };
        print(`added by the proxy (${kind}, ${label}): p50 ${added.p50.toFixed(3)} ms, p99 ${added.p99.toFixed(3)} ms; clean p50 ${ms(through.cleanP50 - direct.cleanP50)} ms, p99 ${ms(through.cleanP99 - direct.cleanP99)} ms`);
        const met = added.p50 <= TARGET_MS.p50 && added.p99 <= TARGET_MS.p99 && through.errors === 0;
        if (pacing.kind === 'open') verdicts.push(`${kind} @${pacing.rate}/s ${met ? 'met' : 'not met'}`);
      }
    }
    print(`target (added p50 ≤ ${TARGET_MS.p50} ms and p99 ≤ ${TARGET_MS.p99} ms, no errors, ${SESSIONS} sessions in open loop): ${verdicts.join(', ')}`);
    print(`PDP_WORKERS=${PDP_WORKERS}, proxy to PDP over ${pdpUrl}, proxy NODE_OPTIONS=${PROXY_NODE_OPTIONS || '(none)'}, ${os.availableParallelism()} cores`);
    for (const rate of OPEN_RATES) print(`open loop @${rate}/s: ${SESSIONS} sessions, one call each every ${((SESSIONS / rate) * 1000).toFixed(0)} ms, ${OPEN_SECONDS} s per scenario`);
    for (const line of warningsOf.get(proxy) ?? []) print(`proxy logged: ${line}`);
    print(`proxy RSS: ${rssAtStart.toFixed(1)} MB at start, ${rssBeforeScenarios.toFixed(1)} MB after the service warm-up and before the scenarios, ${rssAfter.toFixed(1)} MB after ${results.reduce((sum, r) => sum + r.calls, 0)} calls`);
  } finally {
    for (const child of children.reverse()) child.kill('SIGTERM');
    auditStub.server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** SERVICE_WARM_UP_CALLS unique calls through the proxy in a closed loop; what it took, for the report. */
async function warmUpServices(url: string): Promise<string> {
  const clients = await Promise.all(Array.from({ length: SERVICE_WARM_UP_SESSIONS }, () => connect(url)));
  const started = performance.now();
  let next = 0;
  let errors = 0;
  await Promise.all(
    clients.map(async ({ client }) => {
      while (next < SERVICE_WARM_UP_CALLS) {
        next += 1;
        await client.callTool({ name: 'echo', arguments: { message: `warm-up-${process.pid}-${next}` } }).catch(() => (errors += 1));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await disconnect(clients);
  return `${SERVICE_WARM_UP_CALLS} unique calls through the proxy, ${SERVICE_WARM_UP_SESSIONS} sessions, ${seconds.toFixed(1)} s, ${errors} errors`;
}

/** Milliseconds for the report; "n/a" when no call was clean (every one overlapped a GC pause of the bench). */
function ms(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(3);
}

/** GC pauses of this (the bench's client) process during the current scenario, in performance.now() time. */
const clientPauses: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) clientPauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
}).observe({ entryTypes: ['gc'] });

async function scenario(name: string, url: string, sessions: number, pacing: Pacing, unique: boolean, upstreamPid: number, proxyPid?: number, metricsUrl?: string): Promise<Figures> {
  const clients = await Promise.all(Array.from({ length: sessions }, () => connect(url)));
  // Warm-up: connections, JIT (a few hundred calls in all), the upstream's tool catalogue, the decision cache.
  const warmUpCalls = Math.max(2, Math.ceil(WARM_UP_CALLS / sessions));
  let warmUpErrors = 0;
  await Promise.all(
    clients.map(async ({ client }) => {
      for (let i = 0; i < warmUpCalls; i += 1) await client.callTool({ name: 'echo', arguments: { message: 'warm' } }).catch(() => (warmUpErrors += 1));
    }),
  );
  const cpuBefore = proxyPid === undefined ? 0 : cpuSeconds(proxyPid);
  const upstreamCpuBefore = cpuSeconds(upstreamPid);
  const sumsBefore = metricsUrl === undefined ? undefined : await durationSums(metricsUrl);
  // Warm-up failures count as errors of the scenario, so a bench run never hides one.
  let errors = warmUpErrors;
  const errorMessages = new Set<string>();
  let counter = 0;
  const answered: { sent: number; latency: number }[] = [];
  const sendLags: number[] = [];
  const call = async (client: Client, scheduledAt?: number): Promise<void> => {
    const message = unique ? `cold-${process.pid}-${(counter += 1)}-${Date.now()}` : 'warm';
    const sent = performance.now();
    if (scheduledAt !== undefined) sendLags.push(sent - scheduledAt);
    try {
      await client.callTool({ name: 'echo', arguments: { message } });
      answered.push({ sent, latency: performance.now() - sent });
    } catch (error) {
      errors += 1;
      if (errorMessages.size < 3) errorMessages.add(error instanceof Error ? error.message : String(error));
    }
  };
  clientPauses.length = 0;
  if (pacing.kind === 'closed') {
    await Promise.all(
      clients.map(async ({ client }) => {
        for (let i = 0; i < pacing.calls; i += 1) await call(client);
      }),
    );
  } else {
    await openLoop(clients.map(({ client }) => client), pacing.rate, pacing.seconds, call);
  }
  const cpuAfterCalls = proxyPid === undefined ? 0 : cpuSeconds(proxyPid);
  const upstreamCpuAfterCalls = cpuSeconds(upstreamPid);
  const sumsAfter = metricsUrl === undefined ? undefined : await durationSums(metricsUrl);
  await disconnect(clients);
  if (TRACE_DIR) fs.writeFileSync(path.join(TRACE_DIR, `${name.trim().replace(/\W+/g, '_')}.txt`), answered.map(({ sent, latency }) => `${(performance.timeOrigin + sent).toFixed(2)} ${latency.toFixed(3)}`).join('\n'));
  const latencies = answered.map(({ latency }) => latency).sort((a, b) => a - b);
  // A call during which the bench process itself was paused for GC was answered late by the client, not by the server.
  const pauses = [...clientPauses];
  const clean = answered.filter(({ sent, latency }) => !pauses.some((pause) => pause.start < sent + latency && pause.end > sent)).map(({ latency }) => latency).sort((a, b) => a - b);
  const at = (values: number[], q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
  const total = latencies.length + errors;
  sendLags.sort((a, b) => a - b);
  const figures: Figures = {
    name,
    calls: total,
    errors,
    p50: at(latencies, 0.5),
    p99: at(latencies, 0.99),
    cleanP50: at(clean, 0.5),
    cleanP99: at(clean, 0.99),
    clientPausedCalls: answered.length - clean.length,
    clientGcMs: pauses.reduce((sum, pause) => sum + pause.end - pause.start, 0),
    sendLagP99: sendLags.length > 0 ? at(sendLags, 0.99) : undefined,
    upstreamCpuUs: ((upstreamCpuAfterCalls - upstreamCpuBefore) * 1e6) / total,
    load: os.loadavg()[0],
  };
  if (proxyPid !== undefined) figures.proxyCpuUs = ((cpuAfterCalls - cpuBefore) * 1e6) / figures.calls;
  if (sumsBefore && sumsAfter && sumsAfter.count > sumsBefore.count) {
    figures.enforcementUs = (((sumsAfter.request - sumsBefore.request) - (sumsAfter.upstream - sumsBefore.upstream)) * 1e6) / (sumsAfter.count - sumsBefore.count);
  }
  const lag = figures.sendLagP99 === undefined ? '' : `, sent behind the timetable by ${figures.sendLagP99.toFixed(1)} ms p99`;
  print(`${name}: p50 ${figures.p50.toFixed(3)} ms, p99 ${figures.p99.toFixed(3)} ms; without the ${figures.clientPausedCalls} calls the client's own GC (${figures.clientGcMs.toFixed(0)} ms in all) delayed: p50 ${ms(figures.cleanP50)} ms, p99 ${ms(figures.cleanP99)} ms${lag}; ${errors} errors${errorMessages.size > 0 ? ` (${[...errorMessages].join('; ')})` : ''}, load ${figures.load.toFixed(2)}`);
  return figures;
}

/**
 * Open loop: every session sends one call each `clients.length / rate` seconds on its own timetable
 * (phases spread evenly over the period), whether or not its earlier calls were answered, for `seconds`;
 * then waits for the calls still running. Latency is measured from when each call is sent.
 */
async function openLoop(clients: Client[], rate: number, seconds: number, call: (client: Client, scheduledAt: number) => Promise<void>): Promise<void> {
  const periodMs = (clients.length / rate) * 1000;
  const rounds = Math.max(1, Math.round((seconds * 1000) / periodMs));
  const running: Promise<void>[] = [];
  await Promise.all(
    clients.map(async (client, index) => {
      const start = performance.now() + (index / clients.length) * periodMs;
      for (let round = 0; round < rounds; round += 1) {
        const wait = start + round * periodMs - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        running.push(call(client, start + round * periodMs));
      }
    }),
  );
  await Promise.all(running);
}

/** Ends each session (DELETE) and closes its client. */
async function disconnect(clients: { client: Client; transport: StreamableHTTPClientTransport }[]): Promise<void> {
  await Promise.all(
    clients.map(async ({ client, transport }) => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    }),
  );
}

async function connect(url: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: perRequestAbortFetch() });
  await client.connect(transport);
  return { client, transport };
}

function startAuditStub(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"accepted":0,"duplicates":0}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

async function startProcess(command: string, args: string[], env: Record<string, string>, readyLine: RegExp | null, readyUrl?: string): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.resume();
  child.stderr?.resume();
  // Warnings and errors the service logs (pino JSON lines at level 40 and above), printed at the end.
  const warnings = new Set<string>();
  warningsOf.set(child, warnings);
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (/"level":(4|5|6)0\b/.test(line) && warnings.size < 20) warnings.add(line.slice(0, 400));
  });
  const exited = new Promise<never>((_resolve, reject) => child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`))));
  if (readyLine) {
    await Promise.race([
      new Promise<void>((resolve) => {
        const onData = (chunk: Buffer) => readyLine.test(chunk.toString()) && resolve();
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
      }),
      exited,
    ]);
  }
  if (readyUrl) await Promise.race([waitReady(readyUrl), exited]);
  return child;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

const warningsOf = new WeakMap<ChildProcess, Set<string>>();

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:proxy failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
