import { Router } from 'express';
import type { BundleSource } from '../bundles/bundle-source';
import type { ConsoleSettings } from './console-settings';
import { sessionRoutes } from './console-session';
import { playgroundRoutes } from './playground/playground-routes';
import { policyTestRoutes } from './policy-tests/policy-test-routes';

/** Where the console's pages and its JSON API live on the PDP. */
export const CONSOLE_PATH = '/console';
export const CONSOLE_API_PATH = '/console/api';

/** What the composition root supplies; the PDP app adds its own bundle source and deadline. */
export interface ConsoleOptions {
  settings: ConsoleSettings;
}

export interface ConsoleDeps extends ConsoleOptions {
  bundles: BundleSource;
  /** The PDP's evaluation deadline, applied to playground evaluations too. */
  decisionTimeoutMs: number;
}

/**
 * The console's own API: aggregates what the pages show. Mounted behind the PDP's authentication,
 * so every route needs the same API key as the decision APIs; admin-only routes say so themselves.
 */
export function consoleApi(deps: ConsoleDeps): Router {
  const router = Router();
  router.use(sessionRoutes({ scratchPolicies: deps.settings.devMode, audit: false, tools: false }));
  router.use(playgroundRoutes(deps.bundles, deps.decisionTimeoutMs));
  router.use(policyTestRoutes(deps.bundles, deps.settings.testsDir));
  return router;
}
