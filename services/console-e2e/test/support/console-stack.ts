import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { hashApiKey, type ApiKeyRecord } from '../../../common';
import { directoryBundleSource } from '../../../pdp/bundles/directory-bundle-source';
import { createAuditApiClient } from '../../../pdp/console/audit/audit-api-client';
import { defaultAssetsDir, type ConsoleSettings } from '../../../pdp/console/console-settings';
import { proxyToolApprovals } from '../../../pdp/console/tools/proxy-tool-approvals';
import { createNativeEngine } from '../../../pdp/engines/native-engine';
import type { SubjectTokenVerifier } from '../../../pdp/principals/subject-token-verifier';
import { consolePdp } from '../../../pdp/test/support/console-pdp';

export const ROOT = path.resolve(__dirname, '../../../..');
export const VIEWER_KEY = 'mcpz_e2e-viewer-key';
export const ADMIN_KEY = 'mcpz_e2e-admin-key';

const KEYS: ApiKeyRecord[] = [
  { id: 'key_e2e_viewer', name: 'secops-viewer', tenant: 'default', sha256: hashApiKey(VIEWER_KEY), created_at: '2026-01-01T00:00:00Z' },
  { id: 'key_e2e_admin', name: 'secops-admin', tenant: 'default', sha256: hashApiKey(ADMIN_KEY), created_at: '2026-01-01T00:00:00Z', role: 'admin' },
];

export interface ConsoleStack {
  /** `http://127.0.0.1:PORT` of the PDP. */
  url: string;
  close(): Promise<void>;
}

export interface ConsoleStackOptions {
  settings?: Partial<ConsoleSettings>;
  /** The audit service the console proxies to, and the PDP's key for it. */
  audit?: { url: string; apiKey: string };
  /** The proxy whose tool pins the Tools page shows, and the PDP's key for it. */
  proxy?: { url: string; apiKey: string };
  /** Verifies JWT sign-ins (a local identity provider's JWKS). */
  tokens?: SubjectTokenVerifier;
}

/** The PDP on the repository's policies with API keys and the built console, on a free loopback port. */
export async function startConsoleStack(options: ConsoleStackOptions = {}): Promise<ConsoleStack> {
  const assetsDir = defaultAssetsDir(__dirname);
  if (!fs.existsSync(path.join(assetsDir, 'index.html'))) throw new Error(`the console is not built (${assetsDir}): run npm run build`);
  const bundles = directoryBundleSource(path.join(ROOT, 'policies'), createNativeEngine);
  const { app } = consolePdp({
    keys: KEYS,
    bundles,
    tokens: options.tokens,
    consoleSettings: { assetsDir, ...(options.proxy ? { proxy: options.proxy } : {}), ...options.settings },
    signature: { required: false },
    ...(options.proxy ? { tools: proxyToolApprovals(options.proxy) } : {}),
    ...(options.audit ? { audit: createAuditApiClient(options.audit) } : {}),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bundles.close();
    },
  };
}
