import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { JWTVerifyGetKey } from 'jose';
import { createLogger, createMetricsRegistry, createReadiness, hashApiKey, listen, type Registry, type RunningServer } from '../../../common';
import type { AuditEventInput } from '../../../common/audit-client';
import type { LocalPrincipal, UpstreamConfig } from '../../config/servers-file';
import { loadProxySettings, type ProxySettings } from '../../config/proxy-settings';
import { createProxyComponents, type ProxyComponents } from '../../proxy-components';
import type { RateLimiter } from '../../rate-limit/rate-limiter';

export const EVERYTHING_BIN = path.resolve(__dirname, '../../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');

export const everythingOverStdio: UpstreamConfig = { command: process.execPath, args: [EVERYTHING_BIN, 'stdio'] };

export const ALICE: LocalPrincipal = { id: 'alice', type: 'user' };
export const CAROL: LocalPrincipal = { id: 'carol', type: 'user' };

export const API_KEYS = { alice: 'mcpz_alice-test-key', carol: 'mcpz_carol-test-key' } as const;

export interface TestProxy {
  url: string;
  components: ProxyComponents;
  audit: AuditEventInput[];
  registry: Registry;
  pinsFile: string;
  close(): Promise<void>;
}

export interface TestProxyOptions {
  pdpUrl: string;
  servers?: Record<string, UpstreamConfig>;
  env?: Record<string, string>;
  localPrincipal?: LocalPrincipal;
  /** Require API keys (alice's and carol's). */
  apiKeys?: boolean;
  limiter?: RateLimiter;
  jwtKeys?: JWTVerifyGetKey;
  settings?: Partial<ProxySettings>;
}

/** The proxy in-process on a loopback port, upstreams connected, audit events collected in an array. */
export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  const pinsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-authz-pins-'));
  const pinsFile = path.join(pinsDir, 'tool-pins.json');
  const settings = { ...loadProxySettings({ PROXY_PINS_FILE: pinsFile, ...options.env }, { host: '127.0.0.1', port: 0 }), ...options.settings };
  const audit: AuditEventInput[] = [];
  const registry = createMetricsRegistry({ service: 'proxy', processMetrics: false });
  const created = '2026-01-01T00:00:00Z';
  const components = createProxyComponents({
    logger: createLogger({ service: 'proxy', level: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent' }),
    registry,
    readiness: createReadiness(),
    settings,
    servers: options.servers ?? { everything: everythingOverStdio },
    serversBaseDir: process.cwd(),
    localPrincipal: options.localPrincipal ?? ALICE,
    keyPrincipals: { alice: ALICE, carol: CAROL },
    pdpUrl: options.pdpUrl,
    audit: { record: (event) => void audit.push(event) },
    apiKeys: options.apiKeys
      ? {
          keys: () => [
            { id: 'k1', name: 'alice', tenant: 'default', sha256: hashApiKey(API_KEYS.alice), created_at: created },
            { id: 'k2', name: 'carol', tenant: 'default', sha256: hashApiKey(API_KEYS.carol), created_at: created },
          ],
        }
      : undefined,
    limiter: options.limiter,
    jwtKeys: options.jwtKeys,
    listenHost: '127.0.0.1',
  });
  await components.start();
  const running: RunningServer = await listen(components.listener, { host: '127.0.0.1', port: 0 });
  return {
    url: running.url,
    components,
    audit,
    registry,
    pinsFile,
    async close() {
      await components.close();
      await running.close(0);
      fs.rmSync(pinsDir, { recursive: true, force: true });
    },
  };
}

export interface ConnectOptions {
  path?: string;
  headers?: Record<string, string>;
  capabilities?: ClientCapabilities;
}

/** An SDK client connected through the proxy over Streamable HTTP. */
export async function connectClient(proxyUrl: string, options: ConnectOptions = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'proxy-test', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const transport = new StreamableHTTPClientTransport(new URL(options.path ?? '/mcp', proxyUrl), { requestInit: { headers: options.headers ?? {} } });
  await client.connect(transport);
  return { client, transport };
}
