import type { Express } from 'express';
import {
  apiKeyMiddleware,
  createLogger,
  createMetricsRegistry,
  createReadiness,
  hashApiKey,
  staticApiKeysSource,
  type Registry,
} from '../../../common';
import { createAuditApp } from '../../app';
import { createAuditStore, type AuditStore } from '../../audit-store';
import type { BatchPreparer } from '../../ingest/batch-preparer';
import type { AuditDatabase } from '../../store/audit-database';

export interface TestAppOptions {
  sinkNames?: string[];
  redactKeys?: string[];
  /** When given, every call needs one of these keys: `{key: tenant}`. */
  apiKeys?: Record<string, string>;
  /** Prepares `POST /v1/events` bodies with this preparer instead of on the event loop. */
  preparer?: BatchPreparer;
}

export interface TestApp {
  app: Express;
  store: AuditStore;
  registry: Registry;
}

export function buildTestApp(database: AuditDatabase, options: TestAppOptions = {}): TestApp {
  const logger = createLogger({ service: 'audit-test', level: 'silent' });
  const registry = createMetricsRegistry({ service: 'audit', processMetrics: false });
  const store = createAuditStore(database, options.sinkNames ?? []);
  const authenticate = options.apiKeys
    ? apiKeyMiddleware(
        staticApiKeysSource(
          Object.entries(options.apiKeys).map(([key, tenant], index) => ({
            id: `key_${index}`,
            name: `producer ${index}`,
            tenant,
            sha256: hashApiKey(key),
            created_at: '2026-01-01T00:00:00Z',
          })),
        ),
      )
    : undefined;
  const app = createAuditApp({
    logger,
    registry,
    readiness: createReadiness(),
    store,
    ...(options.redactKeys ? { redactKeys: options.redactKeys } : {}),
    ...(authenticate ? { authenticate } : {}),
    ...(options.preparer ? { preparer: options.preparer } : {}),
  });
  return { app, store, registry };
}
