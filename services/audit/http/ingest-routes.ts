import { Router } from 'express';
import { parseRequest, tenantScopeOf } from '../../common';
import { auditEventBatchSchema } from '../../common/contracts/audit-event';
import type { IngestService } from '../ingest/ingest-service';
import { scopeBatchToTenant } from './tenant-access';

/**
 * `POST /v1/events`: a batch of up to 1000 events; 202 once committed, idempotent by event_id. A key
 * bound to a tenant writes only that tenant's events.
 */
export function ingestRoutes(ingest: IngestService): Router {
  const router = Router();
  router.post('/v1/events', async (req, res) => {
    const scope = tenantScopeOf(req.apiKey);
    const batch = parseRequest(auditEventBatchSchema, scope === undefined ? req.body : scopeBatchToTenant(req.body, scope));
    const result = await ingest.ingest(batch.events, 'events');
    res.status(202).json(result);
  });
  return router;
}
