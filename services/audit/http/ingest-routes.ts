import express, { Router, type Request, type RequestHandler } from 'express';
import { tenantScopeOf } from '../../common';
import type { BatchBody } from '../ingest/batch-body';
import type { IngestService } from '../ingest/ingest-service';

const EVENTS_PATH = '/v1/events';

/**
 * `POST /v1/events`: a batch of up to 1000 events; 202 once committed, idempotent by event_id. A key
 * bound to a tenant writes only that tenant's events. The body is decoded, parsed, validated and prepared
 * by the ingest service's batch preparer; a 400 names every invalid field of every event.
 */
export function ingestRoutes(ingest: IngestService): Router {
  const router = Router();
  router.post(EVENTS_PATH, async (req, res) => {
    const result = await ingest.ingestBody(takeBody(req));
    res.status(202).json(result);
  });
  return router;
}

/**
 * Reads `POST /v1/events` bodies as bytes (inflated, size-limited) instead of parsed JSON: parsing is the
 * batch preparer's, which may run in another thread. Mounted before the common JSON parser, which then
 * leaves these requests alone.
 */
export function eventBatchBodyReader(limit: string): RequestHandler {
  const router = Router();
  router.post(EVENTS_PATH, express.raw({ type: ['application/json', 'application/*+json'], limit }));
  return router;
}

/** The batch's bytes, taken out of the request so that nothing else keeps them alive while it is stored. */
function takeBody(req: Request): BatchBody {
  const bytes: unknown = req.body;
  req.body = undefined;
  return { bytes: Buffer.isBuffer(bytes) ? bytes : undefined, charset: charsetOf(req), scope: tenantScopeOf(req.apiKey) };
}

function charsetOf(req: Request): string | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1];
  return charset?.toLowerCase();
}
