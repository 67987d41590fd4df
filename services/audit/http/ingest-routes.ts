import { Router, type Request } from 'express';
import { parseRequest, tenantScopeOf } from '../../common';
import { auditEventBatchEnvelopeSchema } from '../../common/contracts/audit-event';
import type { IngestService } from '../ingest/ingest-service';
import { scopeBatchToTenant } from './tenant-access';

/**
 * `POST /v1/events`: a batch of up to 1000 events; 202 once committed, idempotent by event_id. A key
 * bound to a tenant writes only that tenant's events. The events are validated one by one while they are
 * prepared (`prepareBatch`): a 400 names every invalid field of every event.
 */
export function ingestRoutes(ingest: IngestService): Router {
  const router = Router();
  router.post('/v1/events', async (req, res) => {
    const result = await ingest.ingest(takeEvents(req), 'events');
    res.status(202).json(result);
  });
  return router;
}

/** The batch's raw events, taken out of the request so that nothing else keeps them alive while it is stored. */
function takeEvents(req: Request): unknown[] {
  const scope = tenantScopeOf(req.apiKey);
  const body: unknown = scope === undefined ? req.body : scopeBatchToTenant(req.body, scope);
  req.body = undefined;
  return parseRequest(auditEventBatchEnvelopeSchema, body).events;
}
