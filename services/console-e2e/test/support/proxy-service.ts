import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createMetricsRegistry, createReadiness, hashApiKey, type ApiKeyRecord } from '../../../common';
import { loadProxySettings } from '../../../proxy/config/proxy-settings';
import { createProxyComponents } from '../../../proxy/proxy-components';

/** The key the PDP's console uses towards the proxy (`PROXY_API_KEY`): a proxy key with the admin role. */
export const PROXY_KEY_OF_THE_PDP = 'mcpz_pdp-to-proxy-key';
/** A proxy key without the admin role: it may list pins but not decide them. */
export const PROXY_VIEWER_KEY = 'mcpz_proxy-viewer-key';

const KEYS: ApiKeyRecord[] = [
  { id: 'key_pdp', name: 'pdp console', tenant: 'default', sha256: hashApiKey(PROXY_KEY_OF_THE_PDP), created_at: '2026-01-01T00:00:00Z', role: 'admin' },
  { id: 'key_viewer', name: 'viewer', tenant: 'default', sha256: hashApiKey(PROXY_VIEWER_KEY), created_at: '2026-01-01T00:00:00Z' },
];

export interface ProxyService {
  url: string;
  close(): Promise<void>;
}

/** The real proxy (no upstreams, API keys, the given pins file) on a free loopback port. */
export async function startProxyService(pinsFile: string): Promise<ProxyService> {
  const components = createProxyComponents({
    logger: createLogger({ service: 'proxy', level: 'silent' }),
    registry: createMetricsRegistry({ service: 'proxy', processMetrics: false }),
    readiness: createReadiness(),
    settings: loadProxySettings({ PROXY_PINS_FILE: pinsFile }, { host: '127.0.0.1', port: 0 }),
    servers: {},
    serversBaseDir: process.cwd(),
    localPrincipal: undefined,
    pdpUrl: 'http://127.0.0.1:9',
    audit: { record: () => undefined },
    apiKeys: { keys: () => KEYS },
    listenHost: '127.0.0.1',
  });
  await components.start();
  const server = http.createServer(components.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await components.close();
    },
  };
}
