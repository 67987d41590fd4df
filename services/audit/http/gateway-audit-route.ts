import { createHash } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { badRequest, parseRequest, tenantScopeOf } from '../../common';
import type { AuditEvent } from '../../common/contracts/audit-event';
import type { IngestService } from '../ingest/ingest-service';

export const GATEWAY_AUDIT_PATH = '/api/v1/gateway/audit';
const GATEWAY_KEY_HEADER = 'x-gateway-api-key';

/** The body SARK's gateway integration posts: one event, Unix timestamp, free-form metadata. */
export const gatewayAuditEventSchema = z.object({
  event_type: z.string().min(1).max(128),
  user_id: z.string().min(1).max(512).nullish(),
  agent_id: z.string().min(1).max(512).nullish(),
  server_name: z.string().min(1).max(512).nullish(),
  tool_name: z.string().min(1).max(512).nullish(),
  decision: z.string().min(1).max(32),
  reason: z.string().max(8192),
  timestamp: z.number().nonnegative(),
  gateway_request_id: z.string().min(1).max(512),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type GatewayAuditEvent = z.infer<typeof gatewayAuditEventSchema>;

const DECISIONS: Record<string, 'allow' | 'deny'> = { allow: 'allow', allowed: 'allow', deny: 'deny', denied: 'deny' };

/**
 * SARK-compatible `POST /api/v1/gateway/audit` → `201 {"audit_id", "status": "logged"}`. The event id is
 * derived from the gateway's request id, event type and time, so a gateway retrying the call stores it once.
 */
export function gatewayAuditRoutes(ingest: IngestService): Router {
  const router = Router();
  router.post(GATEWAY_AUDIT_PATH, async (req, res) => {
    const body = parseRequest(gatewayAuditEventSchema, req.body);
    const event = auditEventOf(body, tenantScopeOf(req.apiKey) ?? 'default');
    await ingest.ingest([event], 'gateway');
    res.status(201).json({ audit_id: event.event_id, status: 'logged' });
  });
  return router;
}

export function auditEventOf(body: GatewayAuditEvent, tenant: string): AuditEvent {
  const decision = DECISIONS[body.decision.toLowerCase()];
  if (!decision) throw badRequest('invalid request body', [{ path: 'decision', message: 'expected allow or deny' }]);
  // SARK sends seconds; a value this large can only be milliseconds.
  const millis = body.timestamp > 1e11 ? body.timestamp : body.timestamp * 1000;
  const principal = body.user_id ? { id: body.user_id, type: 'user' } : body.agent_id ? { id: body.agent_id, type: 'agent' } : undefined;
  return {
    event_id: derivedEventId([tenant, body.gateway_request_id, body.event_type, String(body.timestamp), decision]),
    event_type: 'decision',
    occurred_at: new Date(millis).toISOString(),
    tenant,
    decision,
    ...(principal ? { principal } : {}),
    ...(body.agent_id ? { agent_id: body.agent_id } : {}),
    action: `gateway:${body.event_type}`,
    ...(body.server_name ? { server: body.server_name } : {}),
    ...(body.tool_name ? { tool: body.tool_name } : {}),
    reason: body.reason,
    request_id: body.gateway_request_id,
    payload: { source: 'sark-gateway', gateway_event_type: body.event_type, metadata: body.metadata },
  };
}

/** A UUID (version 8, RFC 9562) from a SHA-256 of the parts. */
function derivedEventId(parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The gateway sends its key as `X-Gateway-Api-Key`; on its route that header counts as the API key, so
 * the same key store and middleware authenticate it.
 */
export function acceptGatewayKeyHeader(authenticate: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const gatewayKey = req.headers[GATEWAY_KEY_HEADER];
    if (req.path === GATEWAY_AUDIT_PATH && typeof gatewayKey === 'string' && !req.headers.authorization && !req.headers['x-api-key']) {
      req.headers['x-api-key'] = gatewayKey;
    }
    authenticate(req, res, next);
  };
}
