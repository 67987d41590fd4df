import path from 'node:path';
import { z } from 'zod';
import { authModeField, hostField, httpUrlField, logLevelField, pathField, portField, serviceUrlField, type LogLevel } from './env-fields';
import { parseEnv, type Environment } from './parse-env';
import { DEFAULT_HOST, DEFAULT_PORTS, localUrlFor, type ListenAddress } from './service-address';
import { serviceAuthConfig, type ServiceAuthConfig } from './service-auth-config';

export const proxyEnvSchema = z.object({
  PROXY_HOST: hostField(DEFAULT_HOST),
  PROXY_PORT: portField(DEFAULT_PORTS.proxy),
  PROXY_AUTH: authModeField,
  PROXY_API_KEYS_FILE: pathField.optional(),
  PROXY_CONFIG: pathField.default('./mcp-servers.json'),
  PDP_URL: serviceUrlField.optional(),
  PDP_HOST: hostField(DEFAULT_HOST),
  PDP_PORT: portField(DEFAULT_PORTS.pdp),
  PDP_API_KEY: z.string().min(1).optional(),
  AUDIT_URL: httpUrlField.optional(),
  AUDIT_HOST: hostField(DEFAULT_HOST),
  AUDIT_PORT: portField(DEFAULT_PORTS.audit),
  AUDIT_API_KEY: z.string().min(1).optional(),
  LOG_LEVEL: logLevelField,
});

export interface ProxyConfig {
  service: 'proxy';
  listen: ListenAddress;
  auth: ServiceAuthConfig;
  /** Absolute path of the `mcpServers` file; it may not exist (then no upstreams). */
  serversFile: string;
  /** http(s) URL or `unix:/path/to/socket`. */
  pdpUrl: string;
  pdpApiKey: string | undefined;
  auditUrl: string;
  auditApiKey: string | undefined;
  logLevel: LogLevel;
}

export function loadProxyConfig(env: Environment, cwd: string = process.cwd()): ProxyConfig {
  const vars = parseEnv(proxyEnvSchema, env);
  return {
    service: 'proxy',
    listen: { host: vars.PROXY_HOST, port: vars.PROXY_PORT },
    auth: serviceAuthConfig('proxy', vars.PROXY_API_KEYS_FILE, vars.PROXY_AUTH, cwd),
    serversFile: path.resolve(cwd, vars.PROXY_CONFIG),
    pdpUrl: vars.PDP_URL ?? localUrlFor({ host: vars.PDP_HOST, port: vars.PDP_PORT }),
    pdpApiKey: vars.PDP_API_KEY,
    auditUrl: vars.AUDIT_URL ?? localUrlFor({ host: vars.AUDIT_HOST, port: vars.AUDIT_PORT }),
    auditApiKey: vars.AUDIT_API_KEY,
    logLevel: vars.LOG_LEVEL,
  };
}
