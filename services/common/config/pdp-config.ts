import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { authModeField, hostField, httpUrlField, logLevelField, pathField, portField, socketPathField, type LogLevel } from './env-fields';
import { parseEnv, type Environment } from './parse-env';
import { DEFAULT_HOST, DEFAULT_PORTS, localUrlFor, type ListenAddress } from './service-address';
import { serviceAuthConfig, type ServiceAuthConfig } from './service-auth-config';
import { socketPathProblem } from './unix-socket-url';

export const PDP_ENGINES = ['native', 'wasm', 'auto'] as const;
export type PdpEngine = (typeof PDP_ENGINES)[number];

export const pdpEnvSchema = z.object({
  PDP_HOST: hostField(DEFAULT_HOST),
  PDP_PORT: portField(DEFAULT_PORTS.pdp),
  PDP_SOCKET: socketPathField.optional(),
  PDP_AUTH: authModeField,
  PDP_API_KEYS_FILE: pathField.optional(),
  PDP_BUNDLE: z.string().min(1, 'expected a directory, a .tar.gz file or an http(s):// URL').default('./policies'),
  PDP_ENGINE: z.enum(PDP_ENGINES, { error: `expected one of ${PDP_ENGINES.join(', ')}` }).default('auto'),
  AUDIT_URL: httpUrlField.optional(),
  AUDIT_HOST: hostField(DEFAULT_HOST),
  AUDIT_PORT: portField(DEFAULT_PORTS.audit),
  AUDIT_API_KEY: z.string().min(1).optional(),
  LOG_LEVEL: logLevelField,
});

export interface PdpConfig {
  service: 'pdp';
  listen: ListenAddress;
  /** Absolute path of a Unix domain socket the PDP listens on as well as on `listen`, for clients on this host. */
  socketPath: string | undefined;
  auth: ServiceAuthConfig;
  /** Directory, `.tar.gz` file or http(s) URL, as given. */
  bundle: string;
  engine: PdpEngine;
  auditUrl: string;
  auditApiKey: string | undefined;
  logLevel: LogLevel;
}

export function loadPdpConfig(env: Environment, cwd: string = process.cwd()): PdpConfig {
  const vars = parseEnv(pdpEnvSchema, env);
  return {
    service: 'pdp',
    listen: { host: vars.PDP_HOST, port: vars.PDP_PORT },
    socketPath: vars.PDP_SOCKET === undefined ? undefined : checkedSocketPath(path.resolve(cwd, vars.PDP_SOCKET)),
    auth: serviceAuthConfig('pdp', vars.PDP_API_KEYS_FILE, vars.PDP_AUTH, cwd),
    bundle: vars.PDP_BUNDLE,
    engine: vars.PDP_ENGINE,
    auditUrl: vars.AUDIT_URL ?? localUrlFor({ host: vars.AUDIT_HOST, port: vars.AUDIT_PORT }),
    auditApiKey: vars.AUDIT_API_KEY,
    logLevel: vars.LOG_LEVEL,
  };
}

function checkedSocketPath(socketPath: string): string {
  const problem = socketPathProblem(socketPath);
  if (problem) throw new ConfigError([{ variable: 'PDP_SOCKET', message: `${problem}: ${socketPath}` }]);
  return socketPath;
}
