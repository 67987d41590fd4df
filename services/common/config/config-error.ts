import type { z } from 'zod';

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** A configuration value that cannot be used; the process exits with code 2 on it. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(issues.map((issue) => `${issue.variable}: ${issue.message}`).join('; '));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  static fromZod(error: z.ZodError): ConfigError {
    return new ConfigError(
      error.issues.map((issue) => ({
        variable: issue.path.map(String).join('.') || '(environment)',
        message: issue.message,
      })),
    );
  }
}

export const CONFIG_ERROR_EXIT_CODE = 2;

export function formatConfigError(error: ConfigError): string {
  const lines = error.issues.map((issue) => `  ${issue.variable}: ${issue.message}`);
  return ['mcp-authz: invalid configuration', ...lines].join('\n');
}
