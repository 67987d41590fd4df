import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, parseEnv, type Environment } from '../../common';

export const SIGNATURE_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

function secondsField(defaultValue: number) {
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected a number of seconds')
    .transform(Number)
    .pipe(z.number().positive())
    .default(defaultValue);
}

/** Bundle distribution settings beyond `PDP_BUNDLE` and `PDP_ENGINE` (which the common `PdpConfig` holds). */
export const bundleEnvSchema = z.object({
  PDP_BUNDLE_TOKEN: z.string().min(1).optional(),
  PDP_BUNDLE_POLL_MIN_DELAY_S: secondsField(10),
  PDP_BUNDLE_POLL_MAX_DELAY_S: secondsField(20),
  PDP_BUNDLE_TIMEOUT_S: secondsField(30),
  PDP_BUNDLE_WATCH_INTERVAL_MS: z.string().regex(/^\d+$/, 'expected a whole number of milliseconds').transform(Number).pipe(z.number().int().min(10)).default(1000),
  PDP_BUNDLE_CACHE_DIR: z.string().min(1).optional(),
  PDP_BUNDLE_VERIFICATION_KEY: z.string().min(1).optional(),
  PDP_BUNDLE_VERIFICATION_KEY_FILE: z.string().min(1).optional(),
  PDP_BUNDLE_VERIFICATION_KEY_ID: z.string().min(1).optional(),
  PDP_BUNDLE_VERIFICATION_ALG: z.enum(SIGNATURE_ALGORITHMS, { error: `expected one of ${SIGNATURE_ALGORITHMS.join(', ')}` }).default('RS256'),
  PDP_BUNDLE_VERIFICATION_SCOPE: z.string().optional(),
});

/** How signed bundles are checked: one key (PEM public key or certificate, or an HMAC secret). */
export interface BundleVerification {
  key: string;
  algorithm: SignatureAlgorithm;
  /** When set, a signature naming another key id is refused. */
  keyId?: string;
  /** Must equal the signature's `scope` claim, as OPA requires (both empty by default). */
  scope: string;
}

export interface BundleSettings {
  /** Bearer token sent to an http(s) bundle server. */
  token?: string;
  /** Poll delay bounds for http(s) bundles; each delay is drawn between them (jitter). */
  pollMinDelayMs: number;
  pollMaxDelayMs: number;
  /** Download timeout. */
  timeoutMs: number;
  /** Where the last good downloaded bundle is kept for restarts. */
  cacheDir: string;
  /** Directory and file bundles: how often they are checked for changes (a change is read once it has settled). */
  watchIntervalMs: number;
  /** Absent: signatures are not checked. Present: unsigned and tampered bundles are refused. */
  verification?: BundleVerification;
}

export function loadBundleSettings(env: Environment, cwd: string = process.cwd()): BundleSettings {
  const vars = parseEnv(bundleEnvSchema, env);
  if (vars.PDP_BUNDLE_POLL_MAX_DELAY_S < vars.PDP_BUNDLE_POLL_MIN_DELAY_S) {
    throw new ConfigError([{ variable: 'PDP_BUNDLE_POLL_MAX_DELAY_S', message: 'must not be below PDP_BUNDLE_POLL_MIN_DELAY_S' }]);
  }
  return {
    token: vars.PDP_BUNDLE_TOKEN,
    pollMinDelayMs: vars.PDP_BUNDLE_POLL_MIN_DELAY_S * 1000,
    pollMaxDelayMs: vars.PDP_BUNDLE_POLL_MAX_DELAY_S * 1000,
    timeoutMs: vars.PDP_BUNDLE_TIMEOUT_S * 1000,
    cacheDir: path.resolve(cwd, vars.PDP_BUNDLE_CACHE_DIR ?? '.data/bundles'),
    watchIntervalMs: vars.PDP_BUNDLE_WATCH_INTERVAL_MS,
    verification: verificationOf(vars, cwd),
  };
}

function verificationOf(vars: z.infer<typeof bundleEnvSchema>, cwd: string): BundleVerification | undefined {
  if (vars.PDP_BUNDLE_VERIFICATION_KEY && vars.PDP_BUNDLE_VERIFICATION_KEY_FILE) {
    throw new ConfigError([{ variable: 'PDP_BUNDLE_VERIFICATION_KEY_FILE', message: 'set either PDP_BUNDLE_VERIFICATION_KEY or PDP_BUNDLE_VERIFICATION_KEY_FILE' }]);
  }
  const key = vars.PDP_BUNDLE_VERIFICATION_KEY ?? readKeyFile(vars.PDP_BUNDLE_VERIFICATION_KEY_FILE, cwd);
  if (key === undefined) {
    if (vars.PDP_BUNDLE_VERIFICATION_KEY_ID) {
      throw new ConfigError([{ variable: 'PDP_BUNDLE_VERIFICATION_KEY', message: 'required with PDP_BUNDLE_VERIFICATION_KEY_ID' }]);
    }
    return undefined;
  }
  return { key, algorithm: vars.PDP_BUNDLE_VERIFICATION_ALG, keyId: vars.PDP_BUNDLE_VERIFICATION_KEY_ID, scope: vars.PDP_BUNDLE_VERIFICATION_SCOPE ?? '' };
}

function readKeyFile(file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new ConfigError([{ variable: 'PDP_BUNDLE_VERIFICATION_KEY_FILE', message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
}
