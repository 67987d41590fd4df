import {
  createLogger,
  createShutdown,
  exitOnSignals,
  loadAuditConfig,
  loadPdpConfig,
  loadProxyConfig,
  type Environment,
  type RunningServer,
  type ServiceName,
  type Shutdown,
} from '../../common';
import { startAudit } from '../../audit/main';
import { startPdp } from '../../pdp/main';
import { startProxy } from '../../proxy/main';
import type { ServeArgs } from '../command-args';
import { UsageError } from '../usage-error';

type Starter = (shutdown: Shutdown) => Promise<RunningServer>;

// Audit first and proxy last: each service is up before the ones that call it.
const START_ORDER: readonly ServiceName[] = ['audit', 'pdp', 'proxy'];

/** Loads every configuration before starting anything, so a bad value never leaves half a stack running. */
function startersFor(services: readonly ServiceName[], env: Environment, cwd: string): Starter[] {
  return services.map((service) => {
    switch (service) {
      case 'pdp': {
        const config = loadPdpConfig(env, cwd);
        return (shutdown) => startPdp(config, shutdown);
      }
      case 'proxy': {
        const config = loadProxyConfig(env, cwd);
        return (shutdown) => startProxy(config, shutdown);
      }
      case 'audit': {
        const config = loadAuditConfig(env, cwd);
        return (shutdown) => startAudit(config, shutdown);
      }
    }
  });
}

export async function run(args: ServeArgs): Promise<number> {
  if (args.stdio) {
    if (args.target !== 'proxy') throw new UsageError('--stdio applies to `serve proxy` only');
    process.stderr.write('mcp-authz serve proxy --stdio: not implemented yet\n');
    return 1;
  }
  const services = args.target === 'all' ? START_ORDER : [args.target];
  const starters = startersFor(services, process.env, process.cwd());
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
