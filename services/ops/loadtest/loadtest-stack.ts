import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../common';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const BIN = path.join(REPO_ROOT, 'bin/mcp-authz.js');
const EVERYTHING = path.join(REPO_ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const HEC_RECEIVER = path.join(REPO_ROOT, 'deploy/siem-receiver/hec-receiver.js');
const READY_ATTEMPTS = 600;
const READY_POLL_MS = 100;

export interface StackOptions {
  /** Scratch directory: the services' `./.data`, the proxy's server list and pins. */
  workDir: string;
  /** Postgres for the audit service; the embedded database when undefined. */
  databaseUrl: string | undefined;
  pdpWorkers: string;
}

export interface Stack {
  pdpUrl: string;
  auditUrl: string;
  /** The Splunk HEC receiver the audit service forwards to (its /metrics counts events received). */
  siemUrl: string;
  /** The proxy's pass-through route to the demo upstream (`/mcp/everything`). */
  proxyMcpUrl: string;
  processes: Array<{ name: string; child: ChildProcess }>;
  stop(): Promise<void>;
}

/**
 * A Splunk HEC receiver, the audit service forwarding to it, the PDP (repository policies), the demo MCP
 * server and the proxy: each its own process, as deployed.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const processes: Array<{ name: string; child: ChildProcess }> = [];
  const stop = async () => {
    for (const { child } of [...processes].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
  try {
    const siemPort = await freePort();
    const hecToken = randomBytes(16).toString('hex');
    const siem = spawn(process.execPath, [HEC_RECEIVER], { cwd: options.workDir, env: { PATH: process.env.PATH ?? '', PORT: String(siemPort), HEC_TOKEN: hecToken }, stdio: 'ignore' });
    processes.push({ name: 'siem-receiver', child: siem });
    await waitForPort(siemPort, siem);
    const siemUrl = `http://127.0.0.1:${siemPort}`;

    const auditPort = await freePort();
    const auditUrl = `http://127.0.0.1:${auditPort}`;
    const sinks = JSON.stringify([{ type: 'splunk_hec', name: 'siem', url: siemUrl, token: hecToken, format: 'ocsf' }]);
    processes.push({
      name: 'audit',
      child: await startService('audit', { AUDIT_PORT: String(auditPort), AUDIT_SINKS: sinks, ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}) }, auditUrl, options.workDir),
    });

    const pdpPort = await freePort();
    const pdpUrl = `http://127.0.0.1:${pdpPort}`;
    processes.push({ name: 'pdp', child: await startService('pdp', { PDP_PORT: String(pdpPort), PDP_WORKERS: options.pdpWorkers, PDP_BUNDLE: path.join(REPO_ROOT, 'policies'), AUDIT_URL: auditUrl }, pdpUrl, options.workDir) });

    const upstreamPort = await freePort();
    const upstream = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { cwd: options.workDir, env: { PATH: process.env.PATH ?? '', PORT: String(upstreamPort) }, stdio: 'ignore' });
    processes.push({ name: 'demo-mcp', child: upstream });
    await waitForPort(upstreamPort, upstream);

    const serversFile = path.join(options.workDir, 'mcp-servers.json');
    fs.writeFileSync(serversFile, JSON.stringify({ mcpServers: { everything: { url: `http://127.0.0.1:${upstreamPort}/mcp` } }, proxy: { localPrincipal: { id: 'alice', type: 'user' } } }));
    const proxyPort = await freePort();
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    processes.push({
      name: 'proxy',
      child: await startService(
        'proxy',
        { PROXY_PORT: String(proxyPort), PROXY_CONFIG: serversFile, PROXY_PINS_FILE: path.join(options.workDir, 'pins.json'), PROXY_RATE_LIMIT: '0', PDP_URL: pdpUrl, AUDIT_URL: auditUrl },
        proxyUrl,
        options.workDir,
      ),
    });
    return { pdpUrl, auditUrl, siemUrl, proxyMcpUrl: `${proxyUrl}/mcp/everything`, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startService(service: string, env: Record<string, string>, url: string, cwd: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', service], { cwd, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${service} exited with code ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await sleep(READY_POLL_MS);
  }
  child.kill('SIGTERM');
  throw new Error(`${service} was not ready within ${(READY_ATTEMPTS * READY_POLL_MS) / 1000} s: ${stderr}`);
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${child.spawnargs.join(' ')} exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(READY_POLL_MS);
  }
  throw new Error(`${child.spawnargs.join(' ')} did not listen on ${port}`);
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
