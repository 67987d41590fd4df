import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { HttpError, notFound, parseRequest } from '../../../common';
import type { DeadLetter } from '../../../common/contracts/audit-event';
import { consoleTenantOf, requireAdmin } from '../console-access';
import type { SinksReport } from '../console-contract';
import type { AdminTrail } from './admin-trail';
import type { AuditAnswer, AuditApiClient } from './audit-api-client';
import { sinkHealthFromMetrics } from './siem-sink-health';

/** The filters the audit explorer offers, passed on to `GET /v1/events` (the audit service validates them). */
const FILTERS = ['principal', 'agent', 'decision', 'server', 'tool', 'action', 'event_type', 'from', 'to', 'decision_id', 'request_id', 'session_id'] as const;

const listQuerySchema = z.object({
  ...Object.fromEntries(FILTERS.map((name) => [name, z.string().min(1).max(512).optional()])),
  tenant: z.string().min(1).max(128).optional(),
  limit: z.string().regex(/^\d+$/).optional(),
  cursor: z.string().min(1).max(512).optional(),
  format: z.enum(['ndjson', 'csv']).optional(),
}) as z.ZodType<Record<string, string | undefined>>;

const redriveSchema = z
  .object({
    sink: z.string().min(1).max(64).optional(),
    event_ids: z.array(z.uuid()).min(1).max(1000).optional(),
  })
  .strict();

/**
 * The audit explorer's API, proxied to the audit service with the PDP's audit key. A caller with an API
 * key sees its own tenant only (the key's tenant replaces any `tenant` asked for); without
 * authentication (loopback) every tenant is visible, as the audit API itself would show.
 */
export function auditRoutes(audit: AuditApiClient, trail: AdminTrail): Router {
  const router = Router();

  router.get('/audit/events', async (req, res) => {
    const query = scoped(req, parseRequest(listQuerySchema, req.query, 'query'));
    delete query.format;
    relay(res, await audit.get('/v1/events', query));
  });

  router.get('/audit/events/:id', async (req, res) => {
    const answer = await audit.get(`/v1/events/${encodeURIComponent(req.params.id as string)}`);
    const tenant = consoleTenantOf(req);
    if (answer.status === 200 && tenant !== undefined && (answer.body as { tenant?: string }).tenant !== tenant) throw notFound(`no audit event ${req.params.id}`);
    relay(res, answer);
  });

  router.get('/audit/export', async (req, res) => {
    const query = scoped(req, parseRequest(listQuerySchema, req.query, 'query'));
    delete query.limit;
    delete query.cursor;
    const answer = await audit.stream('/v1/events/export', query);
    res.status(answer.status);
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    if (!answer.body) return void res.end();
    answer.body.on('error', () => res.destroy());
    answer.body.pipe(res);
  });

  router.get('/audit/verify', async (req, res) => {
    const { tenant } = scoped(req, parseRequest(z.object({ tenant: z.string().min(1).max(128).optional() }), req.query, 'query'));
    relay(res, await audit.get('/v1/verify', tenant ? { tenant } : {}));
  });

  router.get('/audit/sinks', async (req, res) => {
    const sinks = sinkHealthFromMetrics(await audit.metrics());
    const letters = await audit.get('/v1/dead-letters', { limit: '100' });
    const tenant = consoleTenantOf(req);
    const deadLetters =
      letters.status === 200
        ? ((letters.body as { dead_letters: DeadLetter[] }).dead_letters ?? []).filter((letter) => tenant === undefined || letter.tenant === tenant)
        : null;
    const report: SinksReport = { sinks, dead_letters: deadLetters, dead_letters_available: letters.status === 200 };
    res.json(report);
  });

  router.post('/audit/dead-letters/redrive', requireAdmin(), async (req, res) => {
    const body = parseRequest(redriveSchema, req.body ?? {});
    const answer = await audit.post('/v1/dead-letters/redrive', body);
    if (answer.status === 200) {
      const redriven = (answer.body as { redriven?: number }).redriven ?? 0;
      await trail.record(req, { action: 'dead_letters.redrive', reason: `${redriven} dead letters re-driven${body.sink ? ` to ${body.sink}` : ''}`, payload: { ...body, redriven } });
    }
    relay(res, answer);
  });

  return router;
}

function scoped<T extends Record<string, string | undefined>>(req: Request, query: T): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined) result[name] = value;
  const tenant = consoleTenantOf(req);
  if (tenant !== undefined) result.tenant = tenant;
  return result;
}

/** The audit service's answer as is, except that its authentication failures are the PDP's configuration problem. */
function relay(res: Response, answer: AuditAnswer): void {
  if (answer.status === 401 || answer.status === 403) {
    throw new HttpError(502, 'audit_unavailable', 'the audit service refused the PDP’s audit API key (set AUDIT_API_KEY for the PDP)');
  }
  res.status(answer.status).json(answer.body);
}
