import fs from 'node:fs';
import path from 'node:path';
import {
  createLogger,
  createShutdown,
  exitOnSignals,
  loadAuditConfig,
  loadPdpConfig,
  loadProxyConfig,
  type Environment,
  type ServiceName,
  type Shutdown,
  socketPathProblem,
  unixSocketUrl,
} from '../../common';
import type { ServeArgs } from '../command-args';
import { UsageError } from '../usage-error';

// The PDP's cluster primary serves through its workers, so a starter does not always return a server.
type Starter = (shutdown: Shutdown) => Promise<unknown>;

// Audit first and proxy last: each service is up before the ones that call it.
const START_ORDER: readonly ServiceName[] = ['audit', 'pdp', 'proxy'];

/**
 * Loads every configuration before starting anything, so a bad value never leaves half a stack running.
 * A service's code loads only when that service is started: `serve audit` does not need the PDP's.
 */
function startersFor(services: readonly ServiceName[], env: Environment, cwd: string): Starter[] {
  return services.map((service) => {
    switch (service) {
      case 'pdp': {
        const config = loadPdpConfig(env, cwd);
        return (shutdown) => (require('../../pdp/main') as typeof import('../../pdp/main')).startPdp(config, shutdown);
      }
      case 'proxy': {
        const config = loadProxyConfig(env, cwd);
        return (shutdown) => (require('../../proxy/main') as typeof import('../../proxy/main')).startProxy(config, shutdown);
      }
      case 'audit': {
        const config = loadAuditConfig(env, cwd);
        return (shutdown) => (require('../../audit/main') as typeof import('../../audit/main')).startAudit(config, shutdown);
      }
    }
  });
}

/**
 * `serve all` runs the PDP and the proxy on one host: unless PDP_URL names another PDP, the proxy asks over a
 * Unix domain socket (PDP_SOCKET, by default `./.data/pdp.sock`, where everything the services write lives, so a
 * read-only root still works), whose round trip is a little shorter than loopback TCP's (docs/proxy.md
 * "Where a cold call's time goes"). The PDP still listens on its port for others. A working directory too deep for a socket path keeps TCP.
 */
function withSameHostPdpSocket(env: Environment, cwd: string): Environment {
  if (env.PDP_URL) return env;
  if (env.PDP_SOCKET) return { ...env, PDP_URL: unixSocketUrl(path.resolve(cwd, env.PDP_SOCKET)) };
  const socketPath = path.resolve(cwd, DEFAULT_PDP_SOCKET);
  if (socketPathProblem(socketPath) !== undefined) return env;
  fs.mkdirSync(path.dirname(socketPath), { recursive: true });
  return { ...env, PDP_SOCKET: socketPath, PDP_URL: unixSocketUrl(socketPath) };
}

const DEFAULT_PDP_SOCKET = '.data/pdp.sock';

export async function run(args: ServeArgs): Promise<number> {
  if (args.stdio) {
    if (args.target !== 'proxy') throw new UsageError('--stdio applies to `serve proxy` only');
    return serveProxyOverStdio();
  }
  const services = args.target === 'all' ? START_ORDER : [args.target];
  const env = args.target === 'all' ? withSameHostPdpSocket(process.env, process.cwd()) : process.env;
  const starters = startersFor(services, env, process.cwd());
  const logger = createLogger({ service: 'mcp-authz' });
  const shutdown = createShutdown(logger);
  exitOnSignals(shutdown, logger);
  try {
    for (const start of starters) await start(shutdown);
  } catch (error) {
    await shutdown.run('startup failed');
    throw error;
  }
  return 0;
}

/** The proxy on stdin/stdout for clients that launch MCP servers as subprocesses; exits when the client hangs up. */
async function serveProxyOverStdio(): Promise<number> {
  const config = loadProxyConfig(process.env, process.cwd());
  const logger = createLogger({ service: 'mcp-authz', level: 'silent' });
  const shutdown = createShutdown(logger);
  exitOnSignals(shutdown, logger);
  const { startStdioProxy } = require('../../proxy/stdio/start-stdio-proxy') as typeof import('../../proxy/stdio/start-stdio-proxy');
  try {
    await startStdioProxy(config, shutdown);
  } finally {
    await shutdown.run('stdio client closed');
  }
  return 0;
}
