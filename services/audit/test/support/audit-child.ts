// The audit service as its own process, configured from the environment like `mcp-authz serve audit`;
// prints {"url": …} on stdout once it listens. Used by tests that kill it.
import { createLogger, createShutdown, exitOnSignals, loadAuditConfig } from '../../../common';
import { startAudit } from '../../main';

async function main(): Promise<void> {
  const config = loadAuditConfig(process.env, process.cwd());
  const logger = createLogger({ service: 'audit-child', level: config.logLevel });
  const shutdown = createShutdown(logger);
  exitOnSignals(shutdown, logger);
  const running = await startAudit(config, shutdown);
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
