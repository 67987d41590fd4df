import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, type Environment } from '../../common';

const SERVER_NAME = /^[A-Za-z0-9_-]+$/;

const stdioServerSchema = z.strictObject({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().min(1).optional(),
  type: z.literal('stdio').optional(),
});

const remoteServerSchema = z.strictObject({
  url: z.url(),
  headers: z.record(z.string(), z.string()).optional(),
  /** `sse` selects the legacy HTTP+SSE transport; otherwise Streamable HTTP. */
  type: z.enum(['http', 'streamable-http', 'sse']).optional(),
});

const principalSchema = z.looseObject({ id: z.string().min(1), type: z.enum(['user', 'agent', 'service']).default('user') });

export const serversFileSchema = z.object({
  mcpServers: z.record(z.string().regex(SERVER_NAME, 'server names are letters, digits, _ and -').refine((name) => !name.includes('__'), 'server names must not contain "__"'), z.union([stdioServerSchema, remoteServerSchema])),
  /** Proxy-only settings; MCP clients reading the same file ignore this key. */
  proxy: z
    .strictObject({
      /** Who the caller is when nothing authenticated it (loopback without keys, or the stdio front). */
      localPrincipal: principalSchema.optional(),
      /** API key name → the principal that key stands for. */
      keyPrincipals: z.record(z.string(), principalSchema).optional(),
    })
    .optional(),
});

export type StdioServerConfig = z.infer<typeof stdioServerSchema>;
export type RemoteServerConfig = z.infer<typeof remoteServerSchema>;
export type UpstreamConfig = StdioServerConfig | RemoteServerConfig;
export type LocalPrincipal = z.infer<typeof principalSchema>;

export interface ServersFile {
  servers: Record<string, UpstreamConfig>;
  localPrincipal: LocalPrincipal | undefined;
  keyPrincipals: Record<string, LocalPrincipal> | undefined;
}

export function isStdioServer(config: UpstreamConfig): config is StdioServerConfig {
  return 'command' in config;
}

/** Reads the `mcpServers` file; a missing file means no upstreams. `${VAR}` placeholders come from `env`. */
export function loadServersFile(file: string, env: Environment): ServersFile {
  if (!fs.existsSync(file)) return { servers: {}, localPrincipal: undefined, keyPrincipals: undefined };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ variable: 'PROXY_CONFIG', message: `${file}: ${error instanceof Error ? error.message : 'unreadable'}` }]);
  }
  const filled = fillPlaceholders(raw, env, []);
  const parsed = serversFileSchema.safeParse(filled);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: `PROXY_CONFIG ${path.basename(file)}: ${issue.path.join('.')}`, message: issue.message })));
  }
  return { servers: parsed.data.mcpServers, localPrincipal: parsed.data.proxy?.localPrincipal, keyPrincipals: parsed.data.proxy?.keyPrincipals };
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function fillPlaceholders(value: unknown, env: Environment, at: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_match, name: string) => {
      const replacement = env[name];
      if (replacement === undefined) {
        throw new ConfigError([{ variable: name, message: `needed by ${at.join('.')} in the PROXY_CONFIG file, but not set in the environment` }]);
      }
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => fillPlaceholders(item, env, [...at, String(index)]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, env, [...at, key])]));
  }
  return value;
}
