import os from 'node:os';
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
  AUDIT_RETENTION_DAYS: z.string().regex(/^\d+$/, 'expected a whole number of days').transform(Number).pipe(z.number().int().min(1, 'expected at least 1 day')).optional(),
  AUDIT_REDACT_KEYS: z.string().optional(),
  AUDIT_PARTITIONS_AHEAD_DAYS: z.string().regex(/^\d+$/, 'expected a whole number of days').transform(Number).pipe(z.number().int().max(366)).default(3),
  AUDIT_INGEST_WORKERS: z.string().regex(/^\d+$/, 'expected a whole number of worker threads').transform(Number).pipe(z.number().int().max(64)).optional(),
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
  /** Day partitions older than this are dropped (after anchoring the hash chain); undefined keeps everything. */
  retentionDays: number | undefined;
  /** Extra key names redacted from payloads, added to the built-in list. */
  redactKeys: string[];
  /** Day partitions created ahead of today. */
  partitionsAheadDays: number;
  /** Worker threads that decode, validate and prepare ingest batches; 0 does that on the event loop. */
  ingestWorkers: number;
  logLevel: LogLevel;
}

/**
 * A preparation worker needs a core of its own to pay off: on two cores, shared with Postgres in the
 * benchmark, the thread's extra CPU (copying batches across) cancelled what it took off the event loop.
 */
export function defaultIngestWorkers(cores: number = os.availableParallelism()): number {
  return cores > 2 ? 1 : 0;
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
    retentionDays: vars.AUDIT_RETENTION_DAYS,
    redactKeys: (vars.AUDIT_REDACT_KEYS ?? '').split(',').map((key) => key.trim()).filter((key) => key.length > 0),
    partitionsAheadDays: vars.AUDIT_PARTITIONS_AHEAD_DAYS,
    ingestWorkers: vars.AUDIT_INGEST_WORKERS ?? defaultIngestWorkers(),
    logLevel: vars.LOG_LEVEL,
  };
}
