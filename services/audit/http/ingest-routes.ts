import { Router } from 'express';
import { parseRequest } from '../../common';
import { auditEventBatchSchema } from '../../common/contracts/audit-event';
import type { IngestService } from '../ingest/ingest-service';

/** `POST /v1/events`: a batch of up to 1000 events; 202 once committed, idempotent by event_id. */
export function ingestRoutes(ingest: IngestService): Router {
  const router = Router();
  router.post('/v1/events', async (req, res) => {
    const batch = parseRequest(auditEventBatchSchema, req.body);
    const result = await ingest.ingest(batch.events, 'events');
    res.status(202).json(result);
  });
  return router;
}
