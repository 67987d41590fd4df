import { Router } from 'express';
import type { BundleSource } from '../bundles/bundle-source';
import { auditAdminTrail } from './audit/admin-trail';
import type { AuditApiClient } from './audit/audit-api-client';
import { auditRoutes } from './audit/audit-routes';
import { bundleRoutes } from './bundles/bundle-routes';
import type { SignaturePolicy } from './console-contract';
import type { ConsoleSettings } from './console-settings';
import { sessionRoutes } from './console-session';
import { playgroundRoutes } from './playground/playground-routes';
import { policyTestRoutes } from './policy-tests/policy-test-routes';
import { scratchRoutes } from './scratch/scratch-routes';
import type { ToolApprovals } from './tools/tool-approvals';
import { toolRoutes } from './tools/tool-routes';

/** Where the console's pages and its JSON API live on the PDP. */
export const CONSOLE_PATH = '/console';
export const CONSOLE_API_PATH = '/console/api';

/** What the composition root supplies; the PDP app adds its own bundle source and deadline. */
export interface ConsoleOptions {
  settings: ConsoleSettings;
  /** How bundle signatures are checked (shown on the Bundles page). */
  signature?: SignaturePolicy;
  /** The audit service's API; absent: the audit explorer says it is not configured. */
  audit?: AuditApiClient;
  /** Tool-definition pinning; absent: the Tools page says it is not configured. */
  tools?: ToolApprovals;
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
  const trail = auditAdminTrail(deps.audit);
  router.use(sessionRoutes({ scratchPolicies: deps.settings.devMode, audit: deps.audit !== undefined, tools: deps.tools !== undefined }));
  router.use(playgroundRoutes(deps.bundles, deps.decisionTimeoutMs));
  router.use(policyTestRoutes(deps.bundles, deps.settings.testsDir));
  if (deps.settings.devMode) router.use(scratchRoutes(deps.bundles, deps.decisionTimeoutMs, deps.audit));
  router.use(bundleRoutes(deps.bundles, deps.signature ?? { required: false }));
  if (deps.audit) router.use(auditRoutes(deps.audit, trail));
  if (deps.tools) router.use(toolRoutes(deps.tools, trail));
  return router;
}
