import { newEventId, type AuditEventInput } from '../../common/audit-client';
import type { Caller } from '../enforcement/caller';

/** What the proxy knows about one handled MCP request (or a pinning change) when it is done. */
export interface RequestRecord {
  caller: Caller | undefined;
  method: string;
  server?: string;
  tool?: string;
  uri?: string;
  prompt?: string;
  decision?: 'allow' | 'deny';
  reason?: string;
  decisionId?: string;
  revision?: string;
  requestId?: string;
  latencyMs: number;
  outcome: string;
  /** Tool arguments as the policy filtered them; never the raw ones. */
  arguments?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export interface RequestAudit {
  record(entry: RequestRecord): void;
}

/** Where audit events go: the common audit client in production, an array in tests. */
export interface AuditSink {
  record(event: AuditEventInput): void;
}

export function createRequestAudit(sink: AuditSink, now: () => Date = () => new Date()): RequestAudit {
  return {
    record(entry) {
      const event: AuditEventInput = {
        event_id: newEventId(),
        event_type: 'mcp_request',
        occurred_at: now().toISOString(),
        action: entry.method,
        latency_ms: Math.round(entry.latencyMs * 1000) / 1000,
        outcome: entry.outcome,
      };
      if (entry.caller) {
        event.principal = { id: entry.caller.principal.id, type: entry.caller.principal.type };
        if (entry.caller.principal.tenant) event.tenant = entry.caller.principal.tenant;
        if (entry.caller.principal.type === 'agent') event.agent_id = entry.caller.principal.id;
        if (entry.caller.sessionId) event.session_id = entry.caller.sessionId;
      }
      if (entry.server) event.server = entry.server;
      if (entry.tool) event.tool = entry.tool;
      if (entry.uri) event.uri = entry.uri;
      if (entry.prompt) event.prompt = entry.prompt;
      if (entry.decision) event.decision = entry.decision;
      if (entry.reason) event.reason = entry.reason;
      if (entry.decisionId) event.decision_id = entry.decisionId;
      if (entry.revision) event.revision = entry.revision;
      if (entry.requestId) event.request_id = entry.requestId;
      const payload: Record<string, unknown> = { ...entry.extra };
      if (entry.caller) payload.authenticated_by = entry.caller.authenticatedBy;
      if (entry.arguments) payload.arguments = entry.arguments;
      if (Object.keys(payload).length > 0) event.payload = payload;
      sink.record(event);
    },
  };
}
