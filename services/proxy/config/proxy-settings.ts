import path from 'node:path';
import { z } from 'zod';
import { ConfigError, httpUrlField, parseEnv, pathField, type Environment, type ListenAddress } from '../../common';

const wholeNumber = (fallback: number) => z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).default(fallback);
const positiveNumber = (fallback: number) => z.string().regex(/^\d+(\.\d+)?$/, 'expected a number').transform(Number).default(fallback);

/** The proxy's own settings beyond the common ones in services/common/config/proxy-config.ts. */
export const proxySettingsEnvSchema = z.object({
  PROXY_ALLOWED_ORIGINS: z.string().optional(),
  PROXY_SESSION_TTL_S: wholeNumber(1800),
  PROXY_UPSTREAM_TIMEOUT_MS: wholeNumber(60_000),
  PROXY_PDP_TIMEOUT_MS: wholeNumber(2_000),
  PROXY_PDP_BREAKER_RESET_MS: wholeNumber(5_000),
  PROXY_DECISION_CACHE_SIZE: wholeNumber(10_000),
  PROXY_RATE_LIMIT: positiveNumber(50),
  PROXY_RATE_BURST: wholeNumber(100),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL').optional(),
  PROXY_PINS_FILE: pathField.default('./.data/proxy/tool-pins.json'),
  PROXY_RESOURCE_URL: httpUrlField.optional(),
  PROXY_JWT_ISSUER: z.string().min(1).optional(),
  PROXY_JWT_JWKS_URL: httpUrlField.optional(),
  PROXY_JWT_AUDIENCE: z.string().min(1).optional(),
  PROXY_JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
});

export interface ProxySettings {
  allowedOrigins: string[];
  sessionTtlMs: number;
  upstreamTimeoutMs: number;
  pdpTimeoutMs: number;
  pdpBreakerResetMs: number;
  decisionCacheSize: number;
  /** Requests per second refilled per principal; 0 turns rate limiting off. */
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  redisUrl: string | undefined;
  pinsFile: string;
  resourceUrl: string;
  jwt: { issuer: string; jwksUrl: string; audience: string; rolesClaim: string } | undefined;
}

export function loadProxySettings(env: Environment, listen: ListenAddress, cwd: string = process.cwd()): ProxySettings {
  const vars = parseEnv(proxySettingsEnvSchema, env);
  const resourceUrl = vars.PROXY_RESOURCE_URL ?? `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}/mcp`;
  const jwtSet = vars.PROXY_JWT_ISSUER !== undefined || vars.PROXY_JWT_JWKS_URL !== undefined;
  if (jwtSet && (vars.PROXY_JWT_ISSUER === undefined || vars.PROXY_JWT_JWKS_URL === undefined)) {
    throw new ConfigError([{ variable: 'PROXY_JWT_ISSUER', message: 'PROXY_JWT_ISSUER and PROXY_JWT_JWKS_URL go together' }]);
  }
  return {
    allowedOrigins: (vars.PROXY_ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0),
    sessionTtlMs: vars.PROXY_SESSION_TTL_S * 1000,
    upstreamTimeoutMs: vars.PROXY_UPSTREAM_TIMEOUT_MS,
    pdpTimeoutMs: vars.PROXY_PDP_TIMEOUT_MS,
    pdpBreakerResetMs: vars.PROXY_PDP_BREAKER_RESET_MS,
    decisionCacheSize: vars.PROXY_DECISION_CACHE_SIZE,
    rateLimitPerSecond: vars.PROXY_RATE_LIMIT,
    rateLimitBurst: vars.PROXY_RATE_BURST,
    redisUrl: vars.REDIS_URL,
    pinsFile: path.resolve(cwd, vars.PROXY_PINS_FILE),
    resourceUrl,
    jwt: jwtSet
      ? { issuer: vars.PROXY_JWT_ISSUER as string, jwksUrl: vars.PROXY_JWT_JWKS_URL as string, audience: vars.PROXY_JWT_AUDIENCE ?? resourceUrl, rolesClaim: vars.PROXY_JWT_ROLES_CLAIM }
      : undefined,
  };
}

