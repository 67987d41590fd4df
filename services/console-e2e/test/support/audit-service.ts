import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiKeyMiddleware, createLogger, createMetricsRegistry, createReadiness, hashApiKey } from '../../../common';
import type { AuditEventInput } from '../../../common/contracts/audit-event';
import { createAuditApp } from '../../../audit/app';
import { createAuditStore } from '../../../audit/audit-store';
import { openAuditDatabase } from '../../../audit/store/audit-database';
import { migratedPgliteSnapshot } from '../../../audit/test/support/pglite-snapshot';

/** The key the PDP's console uses towards the audit service (`AUDIT_API_KEY`). */
export const AUDIT_KEY_OF_THE_PDP = 'mcpz_pdp-to-audit-key';

export interface AuditService {
  url: string;
  record(events: AuditEventInput[]): Promise<void>;
  close(): Promise<void>;
}

/** The real audit service (in-memory PGlite, migrated) on a free loopback port, with API keys. */
export async function startAuditService(): Promise<AuditService> {
  const database = await openAuditDatabase({ pgliteSnapshot: await migratedPgliteSnapshot() });
  // The PDP records and reads every tenant's events, so its audit key is an operator key.
  const keys = [{ id: 'key_pdp', name: 'pdp', tenant: '*', sha256: hashApiKey(AUDIT_KEY_OF_THE_PDP), created_at: '2026-01-01T00:00:00Z' }];
  const app = createAuditApp({
    logger: createLogger({ service: 'audit', level: 'silent' }),
    registry: createMetricsRegistry({ service: 'audit', processMetrics: false }),
    readiness: createReadiness(),
    store: createAuditStore(database, []),
    authenticate: apiKeyMiddleware({ keys: () => keys }),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async record(events) {
      const response = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${AUDIT_KEY_OF_THE_PDP}` },
        body: JSON.stringify({ events }),
      });
      if (response.status !== 202) throw new Error(`audit ingest answered ${response.status}: ${await response.text()}`);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
