import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../common';
import { REPO_ROOT, spawnTs } from '../../../common/test/support/child-process';

export interface ServeAll {
  pdpUrl: string;
  proxyUrl: string;
  auditUrl: string;
  /** SIGINT, as Ctrl+C on `npm start`; resolves once the process has exited (its scratch directory removed). */
  close(): Promise<void>;
}

export interface ServeAllOptions {
  /** The proxy's tool pins file. */
  pinsFile: string;
  /** Postgres for the audit service; the embedded database (under the scratch directory) when undefined. */
  databaseUrl?: string;
}

/**
 * `mcp-authz serve all` (what `npm start` runs) from the sources, in a scratch directory, with the
 * repository's policies and policy tests and no upstream MCP servers. Fixed free ports rather than 0:
 * each service finds the others from their ports (AUDIT_URL, PROXY_URL default to the local ones).
 */
export async function startServeAll(options: ServeAllOptions): Promise<ServeAll> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'console-serve-all-'));
  const serversFile = path.join(cwd, 'mcp-servers.json');
  fs.writeFileSync(serversFile, JSON.stringify({ mcpServers: {} }));
  const [pdpPort, proxyPort, auditPort] = [await freePort(), await freePort(), await freePort()];
  const cli = spawnTs('services/cli/main.ts', ['serve', 'all'], {
    cwd,
    env: {
      PDP_PORT: String(pdpPort),
      PROXY_PORT: String(proxyPort),
      AUDIT_PORT: String(auditPort),
      PDP_BUNDLE: path.join(REPO_ROOT, 'policies'),
      PDP_CONSOLE_TESTS: path.join(REPO_ROOT, 'opa-tests'),
      PROXY_CONFIG: serversFile,
      PROXY_PINS_FILE: options.pinsFile,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    },
  });
  const close = async () => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGINT');
      await cli.exited;
    }
    fs.rmSync(cwd, { recursive: true, force: true });
  };
  const exitedEarly = cli.exited.then(({ code }) => Promise.reject(new Error(`serve all exited with code ${code}: ${cli.stderr()}`)));
  // Reported by the race below only; an exit after start-up is close()'s business.
  exitedEarly.catch(() => undefined);
  try {
    await Promise.race([Promise.all(['audit', 'pdp', 'proxy'].map((service) => cli.waitForLine((_line, json) => json?.msg === 'listening' && json.service === service))), exitedEarly]);
  } catch (error) {
    await close();
    throw error;
  }
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return { pdpUrl: url(pdpPort), proxyUrl: url(proxyPort), auditUrl: url(auditPort), close };
}

