// `npm run bench:audit`: ingest throughput into the Postgres server named by DATABASE_URL (default: the
// local test database), in a throwaway schema. Prints events/s for the store alone (prepare + chain +
// commit, batches of 1000) and end to end over HTTP against the audit service in a child process: first
// without sinks, then with one Splunk HEC sink (in a process of its own), with the rate at which the service
// forwards to it meanwhile and how far forwarding lags behind. BENCH_ONLY picks parts, BENCH_CPU_PROFILE (a
// directory) profiles the service, BENCH_SERVICE_NODE_ARGS replaces the node flags it gets as deployed,
// BENCH_INGEST_WORKERS sets its AUDIT_INGEST_WORKERS (unset: the service's default). Event ids are
// time-ordered UUIDv7, as the PDP and the proxy make them; BENCH_EVENT_IDS=random uses random v4 ids, as
// a producer of its own might send.
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import readline from 'node:readline';
import pg from 'pg';
import { newEventId } from '../../common/audit-client';
import { auditEventSchema, type AuditEventInput } from '../../common/contracts/audit-event';
import { createAuditStore } from '../audit-store';
import { pendingEventOf } from '../ingest/pending-event';
import { prepareEvent } from '../ingest/prepare-event';
import { createRedactor } from '../ingest/redaction';
import { openAuditDatabase } from '../store/audit-database';
import { secondsUntil, startCountingHec } from '../siem/bench/counting-hec';
import { relayDrainBenchmark } from '../siem/bench/relay-drain-bench';
import { migrateToLatest } from '../store/sql-migrations';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 1000;
const STORE_BATCHES = Number(process.env.BENCH_STORE_BATCHES ?? 60);
const HTTP_BATCHES = Number(process.env.BENCH_HTTP_BATCHES ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 1);
// The audit container's NODE_OPTIONS, as compose sets them (the Kubernetes base sets the same: a manifest test checks).
const DEPLOYED_NODE_OPTIONS = /^NODE_OPTIONS=(.*)$/m.exec(fs.readFileSync(path.join(__dirname, '../../../deploy/compose/audit.env'), 'utf8'))?.[1] ?? '';
// A subset of `store,http,hec,relay` runs only those parts, for quicker comparisons of one change.
const PHASES = new Set((process.env.BENCH_ONLY ?? 'store,http,hec,relay').split(',').map((phase) => phase.trim()));

const newBenchEventId = process.env.BENCH_EVENT_IDS === 'random' ? randomUUID : newEventId;

function syntheticEvent(index: number): AuditEventInput {
  return {
    event_id: newBenchEventId(),
    event_type: 'decision',
    occurred_at: new Date(Date.now() - (index % 3600) * 1000).toISOString(),
    tenant: `bench-${index % TENANTS}`,
    decision: index % 7 === 0 ? 'deny' : 'allow',
    principal: { id: `user-${index % 500}`, type: 'user' },
    agent_id: `agent-${index % 20}`,
    action: 'tools/call',
    server: `server-${index % 10}`,
    tool: `tool_${index % 50}`,
    reason: 'allowed by rule mcp.gateway.allow_read',
    revision: 'rev-42',
    decision_id: randomUUID(),
    request_id: randomUUID(),
    session_id: `session-${index % 1000}`,
    latency_ms: 0.3,
    payload: { arguments: { path: `/tmp/file-${index}.txt`, mode: 'read', api_key: 'sk-should-be-redacted' }, client: { name: 'bench' } },
  };
}

// The machine is shared (other processes compete for its two cores), so besides events/s the benchmark
// reports CPU time per event of the processes doing the work: the Node process and its Postgres backends
// (found by application_name). Two dedicated cores give about 2 s of CPU per second.
const CLOCK_TICKS_PER_SECOND = 100;

function cpuSecondsOf(pid: number): number {
  return cpuSecondsAt(`/proc/${pid}/stat`);
}

/** The main thread's CPU alone (its thread id is the process id): the event loop. */
function eventLoopCpuSecondsOf(pid: number): number {
  return cpuSecondsAt(`/proc/${pid}/task/${pid}/stat`);
}

function cpuSecondsAt(statPath: string): number {
  try {
    const fields = fs.readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

async function backendPids(applicationName: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const result = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [applicationName]);
  await client.end();
  return result.rows.map((row) => row.pid);
}

interface CpuSnapshot {
  node: number;
  eventLoop: number;
  postgres: number;
}

async function cpuSnapshot(nodePid: number, applicationName: string): Promise<CpuSnapshot> {
  const pids = await backendPids(applicationName);
  return { node: cpuSecondsOf(nodePid), eventLoop: eventLoopCpuSecondsOf(nodePid), postgres: pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0) };
}

/**
 * Besides the CPU per event, the event loop's share of the Node figure: one thread can do at most 10⁶ µs
 * of work a second, which caps an instance's rate however many cores Postgres and the preparation
 * workers get elsewhere.
 */
function reportCpu(label: string, before: CpuSnapshot, after: CpuSnapshot, events: number): void {
  const perEvent = (seconds: number) => (seconds / events) * 1e6;
  const [nodeMicros, loopMicros, postgresMicros] = [perEvent(after.node - before.node), perEvent(after.eventLoop - before.eventLoop), perEvent(after.postgres - before.postgres)];
  console.log(
    `${label} CPU per event: node ${nodeMicros.toFixed(1)} µs (event loop ${loopMicros.toFixed(1)} µs: at most ${Math.round(1e6 / loopMicros)} events/s) ` +
      `+ postgres backends ${postgresMicros.toFixed(1)} µs → about ${Math.round(2e6 / (nodeMicros + postgresMicros))} events/s on 2 dedicated cores`,
  );
}

function withApplicationName(url: string, name: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}application_name=${name}`;
}

async function withSchema<T>(schema: string, work: () => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    return await work();
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

async function runPool(total: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function storeBenchmark(): Promise<number> {
  const schema = `bench_store_${process.pid}_${randomBytes(3).toString('hex')}`;
  return withSchema(schema, async () => {
    const applicationName = `audit_bench_store_${process.pid}`;
    const database = await openAuditDatabase({ url: withApplicationName(DATABASE_URL, applicationName), schema, poolSize: CONCURRENCY });
    try {
      await migrateToLatest(database.db);
      const store = createAuditStore(database, ['splunk']);
      const redactor = createRedactor();
      const batches = Array.from({ length: STORE_BATCHES }, (_, b) =>
        Array.from({ length: BATCH }, (_, i) => auditEventSchema.parse(syntheticEvent(b * BATCH + i))),
      );
      // Warm-up: as many batches as connections, so every pooled backend exists before measuring.
      await Promise.all(batches.slice(0, CONCURRENCY).map((batch) => store.writer.write(batch.map((event, i) => prepareEvent(event, redactor, i)).map(pendingEventOf))));
      const measured = STORE_BATCHES - CONCURRENCY;
      const cpuBefore = await cpuSnapshot(process.pid, applicationName);
      const started = process.hrtime.bigint();
      await runPool(measured, CONCURRENCY, (b) =>
        store.writer.write(batches[b + CONCURRENCY]!.map((event, i) => prepareEvent(event, redactor, i)).map(pendingEventOf)).then(() => undefined),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      reportCpu('store', cpuBefore, await cpuSnapshot(process.pid, applicationName), measured * BATCH);
      const verifyStarted = process.hrtime.bigint();
      const verified = await store.verifier.verify({});
      const verifySeconds = Number(process.hrtime.bigint() - verifyStarted) / 1e9;
      console.log(`verify: ${verified.ok ? 'intact' : 'BROKEN'}, ${verified.checked} events in ${verifySeconds.toFixed(2)} s (${Math.round(verified.checked / verifySeconds)} events/s)`);
      return (measured * BATCH) / seconds;
    } finally {
      await database.close();
    }
  });
}

function startService(env: Record<string, string>): Promise<{ url: string; pid: number; stop: () => void }> {
  const register = path.join(__dirname, '../../common/register-typescript.js');
  const entry = path.join(__dirname, '../test/support/audit-child.ts');
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? DEPLOYED_NODE_OPTIONS).split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...profile, ...nodeArgs, '-r', register, entry], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', AUDIT_PORT: '0', ...ingestWorkersEnv(), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = (() => {
        try {
          return JSON.parse(line) as { url?: string };
        } catch {
          return {};
        }
      })();
      if (parsed.url) resolve({ url: parsed.url, pid: child.pid as number, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`audit service exited with ${code}`)));
  });
}

function ingestWorkersEnv(): Record<string, string> {
  const workers = process.env.BENCH_INGEST_WORKERS;
  return workers === undefined ? {} : { AUDIT_INGEST_WORKERS: workers };
}

function post(agent: http.Agent, url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Ingest over HTTP, with one HEC sink forwarded by the same service meanwhile, or without sinks. */
async function httpBenchmark(withHec: boolean): Promise<number> {
  const schema = `bench_http_${process.pid}_${randomBytes(3).toString('hex')}`;
  const hec = withHec ? await startCountingHec('bench-token') : undefined;
  return withSchema(schema, async () => {
    const applicationName = `audit_bench_http_${process.pid}`;
    const service = await startService({
      DATABASE_URL: `${withApplicationName(DATABASE_URL, applicationName)}&options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      ...(hec
        ? { AUDIT_SINKS: JSON.stringify([{ type: 'splunk_hec', name: 'splunk', url: hec.url, token: 'bench-token', batch: { max_events: 1000, max_bytes: 5_000_000 } }]) }
        : {}),
    });
    try {
      const bodies = Array.from({ length: HTTP_BATCHES }, (_, b) =>
        Buffer.from(JSON.stringify({ events: Array.from({ length: BATCH }, (_, i) => syntheticEvent(b * BATCH + i)) })),
      );
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const url = new URL('/v1/events', service.url);
      const warmups = await Promise.all(bodies.slice(0, CONCURRENCY).map((body) => post(agent, url, body)));
      if (warmups.some((status) => status !== 202)) throw new Error('warm-up batches were not accepted');
      const measured = HTTP_BATCHES - CONCURRENCY;
      const forwarded = () => hec?.events() ?? 0;
      if (hec) await secondsUntil(hec.events, CONCURRENCY * BATCH, 60_000);
      const cpuBefore = await cpuSnapshot(service.pid, applicationName);
      const benchCpuBefore = { hec: hec ? cpuSecondsOf(hec.pid) : 0, generator: cpuSecondsOf(process.pid) };
      const forwardedBefore = forwarded();
      const requestsBefore = hec?.requests() ?? 0;
      let accepted = CONCURRENCY * BATCH;
      let largestBacklog = 0;
      const sampler = setInterval(() => (largestBacklog = Math.max(largestBacklog, accepted - forwarded())), 50);
      const started = process.hrtime.bigint();
      await runPool(measured, CONCURRENCY, async (b) => {
        const status = await post(agent, url, bodies[b + CONCURRENCY]!);
        if (status !== 202) throw new Error(`batch answered ${status}`);
        accepted += BATCH;
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sampler);
      reportCpu(hec ? 'HTTP service (ingest + forwarding)' : 'HTTP service (ingest, no sinks)', cpuBefore, await cpuSnapshot(service.pid, applicationName), measured * BATCH);
      const perEvent = (seconds: number) => ((seconds / (measured * BATCH)) * 1e6).toFixed(1);
      console.log(
        `the benchmark's own CPU per event, on the same cores: ` +
          (hec ? `HEC receiver ${perEvent(cpuSecondsOf(hec.pid) - benchCpuBefore.hec)} µs, ` : '') +
          `load generator ${perEvent(cpuSecondsOf(process.pid) - benchCpuBefore.generator)} µs`,
      );
      agent.destroy();
      if (!hec) return (measured * BATCH) / seconds;
      const forwardedDuring = hec.events() - forwardedBefore;
      const requestsDuring = hec.requests() - requestsBefore;
      const backlogAtEnd = HTTP_BATCHES * BATCH - hec.events();
      const drainSeconds = await secondsUntil(hec.events, HTTP_BATCHES * BATCH, 300_000);
      reportForwarding({ forwardedDuring, requestsDuring, ingestSeconds: seconds, largestBacklog, backlogAtEnd, drainSeconds });
      return (measured * BATCH) / seconds;
    } finally {
      service.stop();
      await hec?.close();
    }
  });
}

/** The SIEM relay forwards to a Splunk HEC endpoint in this process while the service ingests. */
function reportForwarding(figures: { forwardedDuring: number; requestsDuring: number; ingestSeconds: number; largestBacklog: number; backlogAtEnd: number; drainSeconds: number | undefined }): void {
  const { forwardedDuring, requestsDuring, ingestSeconds, largestBacklog, backlogAtEnd, drainSeconds } = figures;
  console.log(
    `HEC forwarding (same service, concurrent): ${Math.round(forwardedDuring / ingestSeconds)} events/s while ingesting ` +
      `(${requestsDuring} requests, ${Math.round(forwardedDuring / Math.max(requestsDuring, 1))} events each on average); ` +
      `lag: at most ${largestBacklog} events accepted but not yet at the HEC, ${backlogAtEnd} when ingest ended, ` +
      (drainSeconds === undefined ? 'NOT drained within 300 s' : `drained ${drainSeconds.toFixed(2)} s later`),
  );
}

async function main(): Promise<void> {
  console.log(`audit ingest benchmark: ${DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')}, batches of ${BATCH}, concurrency ${CONCURRENCY}, ${TENANTS} tenant(s), 1 sink, ingest workers ${process.env.BENCH_INGEST_WORKERS ?? 'default'}, ${process.env.BENCH_EVENT_IDS === 'random' ? 'random (v4)' : 'time-ordered (v7)'} event ids`);
  const verdicts: string[] = [];
  const verdict = (rate: number, what: string) => verdicts.push(`${rate >= 20_000 ? 'met' : 'NOT met'} ${what}`);
  if (PHASES.has('store')) {
    const store = await storeBenchmark();
    console.log(`store (prepare + redact + chain + commit):  ${Math.round(store)} events/s`);
    verdict(store, 'in the store');
  }
  if (PHASES.has('http')) {
    const withoutSinks = await httpBenchmark(false);
    console.log(`HTTP POST /v1/events (child process, no sinks), ingest: ${Math.round(withoutSinks)} events/s`);
    verdict(withoutSinks, 'without sinks');
  }
  if (PHASES.has('hec')) {
    const overHttp = await httpBenchmark(true);
    console.log(`HTTP POST /v1/events (child process), ingest: ${Math.round(overHttp)} events/s`);
    verdict(overHttp, 'over HTTP with HEC forwarding');
  }
  if (PHASES.has('relay')) {
    const drained = await relayDrainBenchmark({ databaseUrl: DATABASE_URL, withSchema, withApplicationName, cpuSnapshot, cpuSecondsOf, newEventId: newBenchEventId }, HTTP_BATCHES * BATCH);
    console.log(`SIEM relay alone (backlog → local HEC):     ${Math.round(drained)} events/s`);
  }
  console.log(`target: 20000 events/s — ${verdicts.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
