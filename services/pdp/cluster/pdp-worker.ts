import { CONFIG_ERROR_EXIT_CODE, ConfigError, createLogger, createShutdown, exitOnSignals, formatConfigError, loadPdpConfig } from '../../common';
import { startPdpWorker } from '../main';

/** Entry point of a forked PDP worker: the primary passes everything through the environment. */
async function main(): Promise<void> {
  const logger = createLogger({ service: 'pdp' });
  const shutdown = createShutdown(logger);
  exitOnSignals(shutdown, logger);
  try {
    await startPdpWorker(loadPdpConfig(process.env), shutdown);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${formatConfigError(error)}\n`);
      process.exit(CONFIG_ERROR_EXIT_CODE);
    }
    logger.error({ err: error }, 'pdp worker failed to start');
    logger.flush();
    process.exit(1);
  }
}

void main();
