import type { ChainedEvent } from '../../ingest/stored-event';

/** Elastic Common Schema 8.x: `event.category: [api]`, `event.type: [allowed|denied]`, `event.outcome`. */

const ECS_VERSION = '8.11.0';

function outcomeOf(event: ChainedEvent): 'success' | 'failure' | 'unknown' {
  if (event.error !== undefined || event.outcome === 'error' || event.outcome === 'failure') return 'failure';
  if (event.outcome !== undefined) return 'success';
  if (event.decision === 'allow') return 'success';
  if (event.decision === 'deny') return 'failure';
  return 'unknown';
}

function typesOf(event: ChainedEvent): string[] {
  if (event.decision === 'allow') return ['allowed'];
  if (event.decision === 'deny') return ['denied'];
  return ['info'];
}

export function toEcsEvent(event: ChainedEvent): Record<string, unknown> {
  return {
    '@timestamp': event.occurred_at,
    ecs: { version: ECS_VERSION },
    event: {
      id: event.event_id,
      kind: 'event',
      category: ['api'],
      type: typesOf(event),
      outcome: outcomeOf(event),
      dataset: 'mcp_authz.audit',
      ...(event.action !== undefined ? { action: event.action } : {}),
      ...(event.reason !== undefined ? { reason: event.reason } : {}),
      // ECS durations are nanoseconds.
      ...(event.latency_ms !== undefined ? { duration: Math.round(event.latency_ms * 1e6) } : {}),
    },
    ...(event.reason !== undefined ? { message: event.reason } : {}),
    ...(event.principal ? { user: { id: event.principal.id } } : {}),
    ...(event.server !== undefined ? { service: { name: event.server } } : {}),
    ...(event.revision !== undefined ? { rule: { ruleset: 'mcp-authz', version: event.revision, ...(event.reason !== undefined ? { description: event.reason } : {}) } } : {}),
    ...(event.request_id !== undefined ? { transaction: { id: event.request_id } } : {}),
    ...(event.error !== undefined ? { error: { message: event.error } } : {}),
    labels: { tenant: event.tenant },
    mcp_authz: {
      event_type: event.event_type,
      ...(event.decision !== undefined ? { decision: event.decision } : {}),
      ...(event.decision_id !== undefined ? { decision_id: event.decision_id } : {}),
      ...(event.principal?.type !== undefined ? { principal_type: event.principal.type } : {}),
      ...(event.agent_id !== undefined ? { agent_id: event.agent_id } : {}),
      ...(event.tool !== undefined ? { tool: event.tool } : {}),
      ...(event.uri !== undefined ? { uri: event.uri } : {}),
      ...(event.prompt !== undefined ? { prompt: event.prompt } : {}),
      ...(event.session_id !== undefined ? { session_id: event.session_id } : {}),
      ...(event.outcome !== undefined ? { outcome: event.outcome } : {}),
      ...(event.payload !== undefined ? { payload: event.payload } : {}),
    },
  };
}
