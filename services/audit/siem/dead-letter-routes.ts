import { Router } from 'express';
import { z } from 'zod';
import { badRequest, forbidden, parseRequest, tenantScopeOf } from '../../common';
import { InvalidCursorError, type DeadLetters } from './dead-letters';

const listQuerySchema = z.object({
  sink: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(512).optional(),
  include_redriven: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
});

const redriveBodySchema = z
  .object({
    sink: z.string().min(1).max(64).optional(),
    event_ids: z.array(z.uuid({ error: 'expected a UUID' })).min(1).max(10_000).optional(),
    limit: z.number().int().min(1).max(100_000).default(10_000),
  })
  .strict();

/**
 * `GET /v1/dead-letters` (newest first, keyset pages) and `POST /v1/dead-letters/redrive`. Sinks are shared
 * by all tenants, so these are operator calls: a key bound to one tenant is refused.
 */
export function deadLetterRoutes(deadLetters: DeadLetters, configuredSinks: readonly string[]): Router {
  const router = Router();

  router.use('/v1/dead-letters', (req, _res, next) => {
    const scope = tenantScopeOf(req.apiKey);
    next(scope === undefined ? undefined : forbidden(`dead letters need an operator key; this one is bound to tenant ${scope}`));
  });

  router.get('/v1/dead-letters', async (req, res) => {
    const query = parseRequest(listQuerySchema, req.query, 'query');
    try {
      res.json(await deadLetters.list({ sink: query.sink, includeRedriven: query.include_redriven }, query.limit, query.cursor));
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API returned' }]);
      throw error;
    }
  });

  router.post('/v1/dead-letters/redrive', async (req, res) => {
    const body = parseRequest(redriveBodySchema, req.body ?? {});
    if (body.sink !== undefined && !configuredSinks.includes(body.sink)) {
      throw badRequest(`no configured sink ${body.sink}`, [{ path: 'sink', message: `expected one of: ${configuredSinks.join(', ') || '(no sinks configured)'}` }]);
    }
    const redriven = await deadLetters.redrive({
      sinks: body.sink !== undefined ? [body.sink] : configuredSinks,
      eventIds: body.event_ids?.map((id) => id.toLowerCase()),
      limit: body.limit,
    });
    res.json({ redriven });
  });

  return router;
}
