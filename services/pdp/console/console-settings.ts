import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_HOST, DEFAULT_PORTS, hostField, httpUrlField, localUrlFor, parseEnv, portField, type Environment } from '../../common';

const claimValues = (defaultValue: string) =>
  z
    .string()
    .default(defaultValue)
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string()).min(1, 'expected at least one value'));

const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { error: 'expected true or false' })
  .default('false')
  .transform((value) => value === 'true' || value === '1');

export const consoleEnvSchema = z.object({
  /** `false` turns the console (pages and its API) off. */
  PDP_CONSOLE: z.enum(['true', 'false'], { error: 'expected true or false' }).default('true'),
  /** Scratch Rego editing in the playground: development only, never on by default. */
  PDP_CONSOLE_DEV: booleanFlag,
  /** The `opa-tests` the Policy tests page runs against the active bundle's policies. */
  PDP_CONSOLE_TESTS: z.string().min(1).default('./opa-tests'),
  /** The built console (`npm run build` writes `dist/console`). */
  PDP_CONSOLE_ASSETS: z.string().min(1).optional(),
  /** The token claim that carries the console role of a JWT sign-in (a string or a list; a dotted path reaches nested claims). */
  PDP_CONSOLE_ROLE_CLAIM: z.string().min(1).default('mcp_authz_role'),
  /** Values of the role claim that make an admin, and those that make a viewer (comma or space separated). */
  PDP_CONSOLE_ADMIN_ROLES: claimValues('admin'),
  PDP_CONSOLE_VIEWER_ROLES: claimValues('viewer'),
  /** The token claim naming the tenant whose audit trail a JWT sign-in sees. */
  PDP_CONSOLE_TENANT_CLAIM: z.string().min(1).default('tenant'),
  /** The proxy whose tool pins the Tools page shows and decides (its `/v1/tools` API), and the PDP's key for it. */
  PROXY_URL: httpUrlField.optional(),
  PROXY_HOST: hostField(DEFAULT_HOST),
  PROXY_PORT: portField(DEFAULT_PORTS.proxy),
  PROXY_API_KEY: z.string().min(1).optional(),
});

/** How a JWT's claims give the console role and tenant. */
export interface ConsoleTokenClaims {
  roleClaim: string;
  adminRoles: readonly string[];
  viewerRoles: readonly string[];
  tenantClaim: string;
}

export const DEFAULT_CONSOLE_TOKEN_CLAIMS: ConsoleTokenClaims = { roleClaim: 'mcp_authz_role', adminRoles: ['admin'], viewerRoles: ['viewer'], tenantClaim: 'tenant' };

export interface ConsoleSettings {
  enabled: boolean;
  devMode: boolean;
  testsDir: string;
  assetsDir: string;
  tokenClaims: ConsoleTokenClaims;
  /** The proxy's tool pins API; the key never reaches the browser. */
  proxy: { url: string; apiKey?: string };
}

export function loadConsoleSettings(env: Environment, cwd: string = process.cwd()): ConsoleSettings {
  const vars = parseEnv(consoleEnvSchema, env);
  return {
    enabled: vars.PDP_CONSOLE === 'true',
    devMode: vars.PDP_CONSOLE_DEV,
    testsDir: path.resolve(cwd, vars.PDP_CONSOLE_TESTS),
    assetsDir: vars.PDP_CONSOLE_ASSETS ? path.resolve(cwd, vars.PDP_CONSOLE_ASSETS) : defaultAssetsDir(),
    tokenClaims: {
      roleClaim: vars.PDP_CONSOLE_ROLE_CLAIM,
      adminRoles: vars.PDP_CONSOLE_ADMIN_ROLES,
      viewerRoles: vars.PDP_CONSOLE_VIEWER_ROLES,
      tenantClaim: vars.PDP_CONSOLE_TENANT_CLAIM,
    },
    proxy: { url: vars.PROXY_URL ?? localUrlFor({ host: vars.PROXY_HOST, port: vars.PROXY_PORT }), apiKey: vars.PROXY_API_KEY },
  };
}

/** `dist/console` of the package this file belongs to, found from the sources and from `dist/` alike. */
export function defaultAssetsDir(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist/console');
    dir = parent;
  }
  return path.join(dir, 'dist', 'console');
}
