import { CommanderError } from 'commander';
import { CONFIG_ERROR_EXIT_CODE, ConfigError, formatConfigError } from '../common';
import { buildProgram } from './program';
import { USAGE_ERROR_EXIT_CODE, UsageError } from './usage-error';

function reportFailure(error: unknown): number {
  // Commander has already printed the message (or the help) and chosen the code (see program.ts).
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ConfigError) {
    process.stderr.write(formatConfigError(error) + '\n');
    return CONFIG_ERROR_EXIT_CODE;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`mcp-authz: ${error.message}\n`);
    return USAGE_ERROR_EXIT_CODE;
  }
  process.stderr.write(`mcp-authz: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.exitCode = reportFailure(error);
  });
