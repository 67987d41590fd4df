import { z } from 'zod';
import { authModeField, hostField, httpUrlField, logLevelField, pathField, portField, type LogLevel } from './env-fields';
import { parseEnv, type Environment } from './parse-env';
import { DEFAULT_HOST, DEFAULT_PORTS, localUrlFor, type ListenAddress } from './service-address';
import { serviceAuthConfig, type ServiceAuthConfig } from './service-auth-config';

export const PDP_ENGINES = ['native', 'wasm', 'auto'] as const;
export type PdpEngine = (typeof PDP_ENGINES)[number];

export const pdpEnvSchema = z.object({
  PDP_HOST: hostField(DEFAULT_HOST),
  PDP_PORT: portField(DEFAULT_PORTS.pdp),
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
    auth: serviceAuthConfig('pdp', vars.PDP_API_KEYS_FILE, vars.PDP_AUTH, cwd),
    bundle: vars.PDP_BUNDLE,
    engine: vars.PDP_ENGINE,
    auditUrl: vars.AUDIT_URL ?? localUrlFor({ host: vars.AUDIT_HOST, port: vars.AUDIT_PORT }),
    auditApiKey: vars.AUDIT_API_KEY,
    logLevel: vars.LOG_LEVEL,
  };
}
