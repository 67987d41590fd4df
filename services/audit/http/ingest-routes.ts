import { Router } from 'express';
import { HttpError, parseRequest, tenantScopeOf, validationDetails, type ErrorDetail } from '../../common';
import { auditEventBatchEnvelopeSchema, auditEventSchema, type AuditEvent } from '../../common/contracts/audit-event';
import type { IngestService } from '../ingest/ingest-service';
import { mapInSlices } from '../ingest/map-in-slices';
import { scopeBatchToTenant } from './tenant-access';

/**
 * `POST /v1/events`: a batch of up to 1000 events; 202 once committed, idempotent by event_id. A key
 * bound to a tenant writes only that tenant's events.
 */
export function ingestRoutes(ingest: IngestService): Router {
  const router = Router();
  router.post('/v1/events', async (req, res) => {
    const scope = tenantScopeOf(req.apiKey);
    const events = await parseEvents(scope === undefined ? req.body : scopeBatchToTenant(req.body, scope));
    const result = await ingest.ingest(events, 'events');
    res.status(202).json(result);
  });
  return router;
}

/** The batch's events, validated a slice at a time (`mapInSlices`); a 400 names every invalid field of every event. */
async function parseEvents(body: unknown): Promise<AuditEvent[]> {
  const { events } = parseRequest(auditEventBatchEnvelopeSchema, body);
  const details: ErrorDetail[] = [];
  const parsed = await mapInSlices(events, (event, index) => {
    const result = auditEventSchema.safeParse(event);
    if (result.success) return result.data;
    for (const detail of validationDetails(result.error)) details.push({ ...detail, path: `events.${index}${detail.path === '' ? '' : `.${detail.path}`}` });
    return undefined;
  });
  if (details.length > 0) throw new HttpError(400, 'invalid_request', 'invalid request body', details);
  return parsed as AuditEvent[];
}
