import type { RequestListener } from 'node:http';
import { apiKeyMiddleware, createLogger, createMetricsRegistry, createReadiness, hashApiKey, type Registry } from '../../../common';
import { createPdpApp } from '../../app';
import { staticBundleSource, type BundleSlot } from '../../bundles/bundle-source';
import type { ActiveBundle } from '../../engines/decision-engine';
import type { DecisionEvent } from '../../decisions/decision-recorder';
import { DEFAULT_PDP_SETTINGS, type PdpSettings } from '../../pdp-settings';
import type { SubjectTokenVerifier } from '../../principals/subject-token-verifier';
import { activeBundle, fakeEngine } from './fake-engine';

export const TEST_API_KEY = 'mcpz_test-key-for-the-pdp';
/** Keys the PDP knows but must refuse: past their expiry, and revoked. */
export const EXPIRED_API_KEY = 'mcpz_expired-key-for-the-pdp';
export const REVOKED_API_KEY = 'mcpz_revoked-key-for-the-pdp';

export interface TestPdp {
  app: RequestListener;
  recorded: DecisionEvent[];
  registry: Registry;
  bundles: BundleSlot;
}

export interface TestPdpOptions {
  /** `null`: no bundle active. Default: the fake engine at revision `rev-1`. */
  bundle?: ActiveBundle | null;
  withApiKeys?: boolean;
  tokens?: SubjectTokenVerifier;
  settings?: Partial<PdpSettings>;
}

export function testPdp(options: TestPdpOptions = {}): TestPdp {
  const recorded: DecisionEvent[] = [];
  const registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
  const bundles = staticBundleSource(options.bundle === undefined ? activeBundle(fakeEngine()) : options.bundle, 'test');
  const keys = [
    { id: 'key_1', name: 'gateway', tenant: 'acme', sha256: hashApiKey(TEST_API_KEY), created_at: '2026-01-01T00:00:00Z' },
    { id: 'key_2', name: 'old', tenant: 'acme', sha256: hashApiKey(EXPIRED_API_KEY), created_at: '2026-01-01T00:00:00Z', expires_at: '2026-01-02T00:00:00Z' },
    { id: 'key_3', name: 'gone', tenant: 'acme', sha256: hashApiKey(REVOKED_API_KEY), created_at: '2026-01-01T00:00:00Z', revoked_at: '2026-01-02T00:00:00Z' },
  ];
  const app = createPdpApp({
    logger: createLogger({ service: 'pdp', level: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent' }),
    registry,
    readiness: createReadiness(),
    authenticate: options.withApiKeys ? apiKeyMiddleware({ keys: () => keys }) : undefined,
    bundles,
    recorder: { record: (event) => void recorded.push(event) },
    settings: { ...DEFAULT_PDP_SETTINGS, ...options.settings },
    tokens: options.tokens,
  });
  return { app, recorded, registry, bundles };
}

export const ALICE = { id: 'alice', type: 'user', roles: ['developer'] };
export const CAROL = { id: 'carol', type: 'user', roles: ['admin'] };
