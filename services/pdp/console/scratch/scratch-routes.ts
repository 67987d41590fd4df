import { Router } from 'express';
import { z } from 'zod';
import { HttpError, parseRequest } from '../../../common';
import { RegoErrors, RegoError } from '../../../rego';
import { LoaderError } from '../../../rego/loader';
import type { BundleSource } from '../../bundles/bundle-source';
import type { AuditApiClient } from '../audit/audit-api-client';
import { consoleTenantOf, requireAdmin } from '../console-access';
import { PLAYGROUND_ENTRYPOINTS, type PlaygroundEntrypoint, type ReplayedDecision, type ScratchComparison } from '../console-contract';
import { evaluateInPlayground } from '../playground/playground-evaluation';
import { PolicyTestSetupError } from '../policy-tests/policy-test-run';
import { bundleModules, compileScratchBundle } from './scratch-policy';

const MAX_SOURCE_BYTES = 512 * 1024;

const compareBodySchema = z.object({
  entrypoint: z.enum(PLAYGROUND_ENTRYPOINTS),
  input: z.unknown(),
  modules: z.array(z.object({ file: z.string().min(1).max(512), source: z.string().max(MAX_SOURCE_BYTES) })).max(200),
  /** How many recently audited decisions to replay on both bundles. */
  recent: z.number().int().min(0).max(200).default(50),
});

/**
 * Development mode only (`PDP_CONSOLE_DEV=true`), admins only: edit a scratch copy of the bundle's
 * Rego and see, next to the active bundle, how the playground input and the last audited decisions
 * would be decided. Nothing here changes the active bundle.
 */
export function scratchRoutes(bundles: BundleSource, timeoutMs: number, audit: AuditApiClient | undefined): Router {
  const router = Router();

  router.get('/playground/scratch/modules', requireAdmin(), async (_req, res) => {
    res.json(await withPolicyErrors(() => bundleModules(bundles.status().source)));
  });

  router.post('/playground/scratch/compare', requireAdmin(), async (req, res) => {
    const body = parseRequest(compareBodySchema, req.body);
    const active = bundles.current();
    if (!active) throw new HttpError(503, 'no_bundle', 'no policy bundle is active');
    const scratch = await withPolicyErrors(() => compileScratchBundle(bundles.status().source, body.modules));
    const recent = audit && body.recent > 0 ? await recentInputs(audit, body.entrypoint, body.recent, consoleTenantOf(req)) : [];
    const replayed: ReplayedDecision[] = recent.map((event) => {
      const before = evaluateInPlayground(active, body.entrypoint, event.input, timeoutMs).decision.allow;
      const after = evaluateInPlayground(scratch, body.entrypoint, event.input, timeoutMs).decision.allow;
      return { event_id: event.event_id, occurred_at: event.occurred_at, principal: event.principal, summary: event.summary, active: before, scratch: after, changed: before !== after };
    });
    const comparison: ScratchComparison = {
      active: evaluateInPlayground(active, body.entrypoint, body.input, timeoutMs),
      scratch: evaluateInPlayground(scratch, body.entrypoint, body.input, timeoutMs),
      recent: { replayed: replayed.length, changed: replayed.filter((decision) => decision.changed).length, decisions: replayed },
    };
    res.json(comparison);
  });

  return router;
}

async function withPolicyErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PolicyTestSetupError) throw new HttpError(409, 'scratch_unavailable', error.message);
    if (error instanceof RegoErrors || error instanceof RegoError || error instanceof LoaderError) throw new HttpError(422, 'policy_error', error.message);
    throw error;
  }
}

interface RecentInput {
  event_id: string;
  occurred_at: string;
  principal: string | null;
  summary: string;
  input: unknown;
}

/** Decision events whose logged input belongs to this entrypoint, newest first (masked fields stay masked). */
async function recentInputs(audit: AuditApiClient, entrypoint: PlaygroundEntrypoint, limit: number, tenant: string | undefined): Promise<RecentInput[]> {
  const answer = await audit.get('/v1/events', { event_type: 'decision', limit: String(Math.min(1000, limit * 4)), ...(tenant ? { tenant } : {}) });
  if (answer.status !== 200) return [];
  const events = (answer.body as { events: Record<string, unknown>[] }).events ?? [];
  const a2a = entrypoint === 'mcp/a2a/decision';
  return events
    .filter((event) => {
      const input = (event.payload as { input?: unknown } | null)?.input;
      return typeof input === 'object' && input !== null && ('source_agent' in input) === a2a;
    })
    .slice(0, limit)
    .map((event) => ({
      event_id: String(event.event_id),
      occurred_at: String(event.occurred_at),
      principal: (event.principal as { id?: string } | null)?.id ?? (event.agent_id as string | null) ?? null,
      summary: [event.action, event.server, event.tool].filter(Boolean).join(' '),
      input: (event.payload as { input: unknown }).input,
    }));
}
