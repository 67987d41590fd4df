import path from 'node:path';
import { z } from 'zod';
import { authModeField, hostField, logLevelField, pathField, portField, postgresUrlField, type LogLevel } from './env-fields';
import { parseEnv, type Environment } from './parse-env';
import { DEFAULT_HOST, DEFAULT_PORTS, type ListenAddress } from './service-address';
import { serviceAuthConfig, type ServiceAuthConfig } from './service-auth-config';

export const auditEnvSchema = z.object({
  AUDIT_HOST: hostField(DEFAULT_HOST),
  AUDIT_PORT: portField(DEFAULT_PORTS.audit),
  AUDIT_AUTH: authModeField,
  AUDIT_API_KEYS_FILE: pathField.optional(),
  DATABASE_URL: postgresUrlField.optional(),
  AUDIT_SINKS: z.string().min(1).optional(),
  LOG_LEVEL: logLevelField,
});

export interface AuditConfig {
  service: 'audit';
  listen: ListenAddress;
  auth: ServiceAuthConfig;
  /** Postgres server; when undefined the embedded database under `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Absolute path of `./.data`, home of the embedded database. */
  dataDir: string;
  /** `AUDIT_SINKS` as given (a JSON or YAML list); the audit service parses it. */
  sinks: string | undefined;
  logLevel: LogLevel;
}

export function loadAuditConfig(env: Environment, cwd: string = process.cwd()): AuditConfig {
  const vars = parseEnv(auditEnvSchema, env);
  return {
    service: 'audit',
    listen: { host: vars.AUDIT_HOST, port: vars.AUDIT_PORT },
    auth: serviceAuthConfig('audit', vars.AUDIT_API_KEYS_FILE, vars.AUDIT_AUTH, cwd),
    databaseUrl: vars.DATABASE_URL,
    dataDir: path.resolve(cwd, '.data'),
    sinks: vars.AUDIT_SINKS,
    logLevel: vars.LOG_LEVEL,
  };
}
