import os from 'node:os';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { apiKeyMiddleware, createLogger, createMetricsRegistry, createReadiness, type ApiKeyRecord } from '../../../common';
import { createPdpApp } from '../../app';
import { createBundleSlot, type BundleSource } from '../../bundles/bundle-source';
import type { ConsoleOptions } from '../../console/console-api';
import { DEFAULT_CONSOLE_TOKEN_CLAIMS, type ConsoleSettings } from '../../console/console-settings';
import type { DecisionEvent } from '../../decisions/decision-recorder';
import { DEFAULT_PDP_SETTINGS } from '../../pdp-settings';
import type { SubjectTokenVerifier } from '../../principals/subject-token-verifier';

const ROOT = path.resolve(__dirname, '../../../..');

export interface ConsolePdpOptions extends Omit<ConsoleOptions, 'settings'> {
  /** The API keys the PDP accepts. */
  keys: readonly ApiKeyRecord[];
  /** Replaces the API key check; `null`: the PDP runs without authentication. */
  authenticate?: RequestHandler | null;
  /** Default: an empty slot, no bundle active. */
  bundles?: BundleSource;
  tokens?: SubjectTokenVerifier;
  /** Over the defaults: console on, not in development mode, the repository's opa-tests, no built assets. */
  consoleSettings?: Partial<ConsoleSettings>;
}

/** A PDP with its console API on, as the console's tests need it; the decisions it makes are kept in `recorded`. */
export function consolePdp(options: ConsolePdpOptions) {
  const { keys, authenticate, bundles = createBundleSlot('./policies'), tokens, consoleSettings, ...consoleOptions } = options;
  const recorded: DecisionEvent[] = [];
  const settings: ConsoleSettings = {
    enabled: true,
    devMode: false,
    testsDir: path.join(ROOT, 'opa-tests'),
    assetsDir: path.join(os.tmpdir(), 'no-console-assets-here'),
    tokenClaims: DEFAULT_CONSOLE_TOKEN_CLAIMS,
    proxy: { url: 'http://127.0.0.1:9' },
    ...consoleSettings,
  };
  const app = createPdpApp({
    logger: createLogger({ service: 'pdp', level: 'silent' }),
    registry: createMetricsRegistry({ service: 'pdp', processMetrics: false }),
    readiness: createReadiness(),
    authenticate: authenticate === null ? undefined : (authenticate ?? apiKeyMiddleware({ keys: () => keys })),
    bundles,
    recorder: { record: (event) => void recorded.push(event) },
    settings: { ...DEFAULT_PDP_SETTINGS, decisionTimeoutMs: 2000 },
    tokens,
    console: { settings, ...consoleOptions },
  });
  return { app, recorded };
}
