import { once } from 'node:events';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { notFound, parseRequest, tenantScopeOf } from '../../common';
import type { StoredAuditEvent } from '../../common/contracts/audit-event';
import type { AuditMetrics } from '../audit-metrics';
import { exportQuerySchema, listEventsQuerySchema } from '../query/event-filters';
import { EXPORT_CONTENT_TYPES, exportHeader, exportLine, type ExportFormat } from '../query/export-format';
import type { EventQueries } from '../query/event-query';
import { decodeCursor } from '../query/page-cursor';
import type { ChainVerifier } from '../verify/chain-verifier';
import { scopeQueryTenant } from './tenant-access';

const eventIdSchema = z.object({ id: z.uuid({ error: 'expected a UUID' }) });
const verifyQuerySchema = z.object({
  tenant: z.string().min(1).max(128).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/**
 * `GET /v1/events`, `/v1/events/export`, `/v1/events/{id}` and `/v1/verify`. A key bound to a tenant
 * sees that tenant only; another tenant's event by id is a 404, as if it did not exist.
 */
export function queryRoutes(queries: EventQueries, verifier: ChainVerifier, metrics: AuditMetrics): Router {
  const router = Router();

  router.get('/v1/events', async (req, res) => {
    const { limit, cursor, ...filters } = parseRequest(listEventsQuerySchema, req.query, 'query');
    const tenant = scopeQueryTenant(filters.tenant, tenantScopeOf(req.apiKey));
    res.json(await queries.page({ ...filters, tenant }, limit, cursor ? decodeCursor(cursor) : undefined));
  });

  router.get('/v1/events/export', async (req, res) => {
    const { format, ...filters } = parseRequest(exportQuerySchema, req.query, 'query');
    const tenant = scopeQueryTenant(filters.tenant, tenantScopeOf(req.apiKey));
    await streamExport(res, format, queries.all({ ...filters, tenant }));
  });

  router.get('/v1/events/:id', async (req, res) => {
    const { id } = parseRequest(eventIdSchema, req.params, 'path');
    const event = await queries.byId(id.toLowerCase());
    const scope = tenantScopeOf(req.apiKey);
    if (!event || (scope !== undefined && event.tenant !== scope)) throw notFound(`no audit event ${id}`);
    res.json(event);
  });

  router.get('/v1/verify', async (req, res) => {
    const range = parseRequest(verifyQuerySchema, req.query, 'query');
    const tenant = scopeQueryTenant(range.tenant, tenantScopeOf(req.apiKey));
    const result = await verifier.verify({ ...range, tenant });
    metrics.verifyRuns.inc({ result: result.ok ? 'intact' : 'broken' });
    res.json(result);
  });

  return router;
}

/**
 * The first page is read before any byte is sent, so a database failure still gets a JSON error; after
 * that, a failure can only cut the stream short (the missing final newline tells the reader).
 */
async function streamExport(res: Response, format: ExportFormat, events: AsyncGenerator<StoredAuditEvent>): Promise<void> {
  const first = await events.next();
  res.status(200).type(EXPORT_CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="audit-events.${format}"`);
  const write = async (chunk: string) => {
    if (!res.write(chunk)) await once(res, 'drain');
  };
  try {
    await write(exportHeader(format));
    if (!first.done) {
      await write(exportLine(format, first.value));
      for await (const event of events) await write(exportLine(format, event));
    }
    res.end();
  } catch (error) {
    res.req.log.error({ err: error }, 'export interrupted');
    res.destroy();
  }
}
