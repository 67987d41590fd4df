import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, startStack } from './loadtest-stack';
import { auditTarget, pdpTarget, proxyTarget, type LoadTarget } from './loadtest-targets';
import { runTarget, type TargetFigures } from './loadtest-run';
import { collectServerFigures, waitForSiemCatchUp } from './server-figures';

/**
 * `npm run loadtest`: the audit service (forwarding to a Splunk HEC receiver), the PDP and the proxy
 * (with the demo MCP server upstream) as separate processes, driven at the same time by autocannon:
 * decisions, audit batches and proxied `tools/call`s. Then waits for SIEM forwarding to catch up, prints
 * a table and the services' own figures, and writes loadtest-results/loadtest-<time>.json.
 * Environment: LOADTEST_DURATION (s, 10), LOADTEST_CONNECTIONS (per target, 16), LOADTEST_BATCH
 * (events per audit request, 100), PDP_WORKERS (1), DATABASE_URL (unset: the embedded database).
 */
const DURATION = Number(process.env.LOADTEST_DURATION ?? 10);
const CONNECTIONS = Number(process.env.LOADTEST_CONNECTIONS ?? 16);
const BATCH = Number(process.env.LOADTEST_BATCH ?? 100);
const PDP_WORKERS = process.env.PDP_WORKERS ?? '1';
const WARM_UP_SECONDS = 2;
const SIEM_CATCH_UP_LIMIT_S = 120;
const RESULTS_DIR = path.join(REPO_ROOT, 'loadtest-results');

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0]!;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-authz-loadtest-'));
  const databaseUrl = process.env.DATABASE_URL || undefined;
  print(`mcp-authz load test: ${CONNECTIONS} connections per target, ${DURATION} s, PDP_WORKERS=${PDP_WORKERS}, audit on ${databaseUrl ? 'Postgres (DATABASE_URL)' : 'the embedded database'}, ${os.availableParallelism()} cores`);
  const stack = await startStack({ workDir, databaseUrl, pdpWorkers: PDP_WORKERS });
  const targets: LoadTarget[] = [];
  try {
    targets.push(pdpTarget(stack.pdpUrl), auditTarget(stack.auditUrl, BATCH), await proxyTarget(stack.proxyMcpUrl));
    await Promise.all(targets.map((target) => runTarget(target, { connections: CONNECTIONS, durationSeconds: WARM_UP_SECONDS })));
    const figures: TargetFigures[] = await Promise.all(targets.map((target) => runTarget(target, { connections: CONNECTIONS, durationSeconds: DURATION })));
    const catchUp = await waitForSiemCatchUp({ audit: stack.auditUrl, siem: stack.siemUrl }, SIEM_CATCH_UP_LIMIT_S);
    const server = await collectServerFigures({ pdp: stack.pdpUrl, audit: stack.auditUrl, proxy: new URL(stack.proxyMcpUrl).origin, siem: stack.siemUrl }, catchUp);
    console.table(figures);
    print(`server side: ${JSON.stringify(server)}`);
    print(`1-minute load average: ${loadBefore.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after (${os.availableParallelism()} cores)`);
    const file = writeResults({
      started_at: startedAt.toISOString(),
      // Other work on the machine shares its cores: the 1-minute load average says how much.
      machine: { cores: os.availableParallelism(), node: process.version, platform: `${os.platform()} ${os.release()}`, load_average_before: loadBefore, load_average_after: os.loadavg()[0] },
      settings: { duration_s: DURATION, connections_per_target: CONNECTIONS, audit_batch: BATCH, pdp_workers: Number(PDP_WORKERS), audit_database: databaseUrl ? 'postgres' : 'embedded' },
      results: figures,
      server,
    });
    print(`results: ${path.relative(process.cwd(), file)}`);
    const failures = figures.reduce((sum, row) => sum + row.non2xx + row['failed 2xx'] + row.errors + row.timeouts, 0);
    if (failures > 0 || !server.audit_chain_intact) process.exitCode = 1;
  } finally {
    await Promise.all(targets.map((target) => target.close().catch(() => undefined)));
    await stack.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function writeResults(results: unknown): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `loadtest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`loadtest failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
