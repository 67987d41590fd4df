import { z } from 'zod';
import { socketPathProblem, unixSocketPathOf } from './unix-socket-url';

/** zod fields for environment variables: each takes the raw string and yields a typed value. */

export function portField(defaultPort: number) {
  return z
    .string()
    .regex(/^\d{1,5}$/, 'expected a TCP port number (an integer from 0 to 65535)')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535, 'expected a TCP port number (an integer from 0 to 65535)'))
    .default(defaultPort);
}

export function hostField(defaultHost: string) {
  return z
    .string()
    .regex(/^[A-Za-z0-9.:\-\[\]]+$/, 'expected a host name or IP address')
    .default(defaultHost);
}

export const httpUrlField = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an absolute http:// or https:// URL');

/** Where a neighbouring HTTP service listens: an http(s) URL or `unix:/absolute/path.sock`. */
export const serviceUrlField = z.string().superRefine((value, ctx) => {
  const socketPath = unixSocketPathOf(value);
  if (socketPath !== undefined) {
    const problem = socketPathProblem(socketPath);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    return;
  }
  if (!httpUrlField.safeParse(value).success) ctx.addIssue({ code: 'custom', message: 'expected an absolute http:// or https:// URL, or unix:/path/to/socket' });
});

/** A Unix domain socket to listen on: resolved against `cwd` by the caller, so checked for length there. */
export const socketPathField = z.string().min(1, 'expected a socket path');

export const postgresUrlField = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'expected a postgres:// or postgresql:// URL');

export const pathField = z.string().min(1, 'expected a file or directory path');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const logLevelField = z
  .enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })
  .default('info');

export const AUTH_MODES = ['auto', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** `<SVC>_AUTH`: `auto` uses API keys when configured, `none` accepts unauthenticated calls on any address. */
export const authModeField = z.enum(AUTH_MODES, { error: `expected one of ${AUTH_MODES.join(', ')}` }).default('auto');
