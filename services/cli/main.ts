import { CONFIG_ERROR_EXIT_CODE, ConfigError, formatConfigError } from '../common';
import { buildProgram } from './program';
import { UsageError } from './usage-error';

const USAGE_ERROR_EXIT_CODE = 2;

function reportFailure(error: unknown): number {
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
