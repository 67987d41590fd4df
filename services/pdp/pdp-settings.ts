import os from 'node:os';
import { z } from 'zod';
import { ConfigError, httpUrlField, parseEnv, type Environment } from '../common';

function countField(defaultValue: number, min: number) {
  return z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min))
    .default(defaultValue);
}

/** The PDP's decision-path settings (the common `PdpConfig` holds address, auth, bundle and engine). */
export const pdpSettingsEnvSchema = z.object({
  PDP_WORKERS: countField(os.availableParallelism(), 1),
  PDP_JWKS_URL: httpUrlField.optional(),
  PDP_JWT_ISSUER: z.string().min(1).optional(),
  PDP_JWT_AUDIENCE: z.string().min(1).optional(),
  PDP_JWT_CLOCK_TOLERANCE_S: countField(30, 0),
  PDP_CACHE_SIZE: countField(10_000, 0),
  PDP_DECISION_TIMEOUT_MS: countField(100, 1),
  PDP_MAX_BODY_BYTES: countField(2 * 1024 * 1024, 1024),
});

export interface PdpSettings {
  /** Node cluster workers serving the port; 1 runs in-process. */
  workers: number;
  jwt: { jwksUrl?: string; issuer?: string; audience?: string; clockToleranceSeconds: number };
  cacheSize: number;
  decisionTimeoutMs: number;
  maxBodyBytes: number;
}

export const DEFAULT_PDP_SETTINGS: PdpSettings = {
  workers: 1,
  jwt: { clockToleranceSeconds: 30 },
  cacheSize: 10_000,
  decisionTimeoutMs: 100,
  maxBodyBytes: 2 * 1024 * 1024,
};

export function loadPdpSettings(env: Environment): PdpSettings {
  const vars = parseEnv(pdpSettingsEnvSchema, env);
  if (vars.PDP_JWKS_URL && (!vars.PDP_JWT_ISSUER || !vars.PDP_JWT_AUDIENCE)) {
    throw new ConfigError([
      { variable: vars.PDP_JWT_ISSUER ? 'PDP_JWT_AUDIENCE' : 'PDP_JWT_ISSUER', message: 'required with PDP_JWKS_URL, so tokens meant for others are refused' },
    ]);
  }
  return {
    workers: vars.PDP_WORKERS,
    jwt: { jwksUrl: vars.PDP_JWKS_URL, issuer: vars.PDP_JWT_ISSUER, audience: vars.PDP_JWT_AUDIENCE, clockToleranceSeconds: vars.PDP_JWT_CLOCK_TOLERANCE_S },
    cacheSize: vars.PDP_CACHE_SIZE,
    decisionTimeoutMs: vars.PDP_DECISION_TIMEOUT_MS,
    maxBodyBytes: vars.PDP_MAX_BODY_BYTES,
  };
}
