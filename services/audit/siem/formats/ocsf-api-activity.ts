import type { ChainedEvent } from '../../ingest/stored-event';

/**
 * OCSF 1.3 API Activity (class 6003, category 6 Application Activity) with the `security_control`
 * profile: the decision is the control's `action` (1 Allowed, 2 Denied) and `disposition`, the policy
 * revision and reason are the `policy`. Fields OCSF has no place for go under `unmapped`.
 */

const CLASS_UID = 6003;
const CATEGORY_UID = 6;
const OCSF_VERSION = '1.3.0';

/** OCSF API Activity activity ids: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. */
function activityOf(action: string | undefined): { id: number; name: string } {
  if (action === undefined) return { id: 0, name: 'Unknown' };
  if (/(^|\/)(list|read|get)$/.test(action)) return { id: 2, name: 'Read' };
  return { id: 99, name: action };
}

function securityControlOf(decision: string | undefined) {
  if (decision === 'allow') return { action_id: 1, action: 'Allowed', disposition_id: 1, disposition: 'Allowed', severity_id: 1, severity: 'Informational' };
  if (decision === 'deny') return { action_id: 2, action: 'Denied', disposition_id: 2, disposition: 'Blocked', severity_id: 3, severity: 'Medium' };
  return { action_id: 0, action: 'Unknown', disposition_id: 0, disposition: 'Unknown', severity_id: 1, severity: 'Informational' };
}

function statusOf(event: ChainedEvent): { status_id: number; status: string } {
  if (event.error !== undefined || event.outcome === 'error' || event.outcome === 'failure') return { status_id: 2, status: 'Failure' };
  if (event.outcome !== undefined || event.decision === 'allow') return { status_id: 1, status: 'Success' };
  if (event.decision === 'deny') return { status_id: 2, status: 'Failure' };
  return { status_id: 0, status: 'Unknown' };
}

export function toOcsfApiActivity(event: ChainedEvent): Record<string, unknown> {
  const activity = activityOf(event.action);
  const control = securityControlOf(event.decision);
  const resource = event.tool ?? event.uri ?? event.prompt;
  return {
    class_uid: CLASS_UID,
    class_name: 'API Activity',
    category_uid: CATEGORY_UID,
    category_name: 'Application Activity',
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: CLASS_UID * 100 + activity.id,
    time: Date.parse(event.occurred_at),
    ...control,
    ...statusOf(event),
    ...(event.error !== undefined ? { status_detail: event.error } : {}),
    ...(event.reason !== undefined ? { message: event.reason } : {}),
    ...(event.latency_ms !== undefined ? { duration: event.latency_ms } : {}),
    metadata: {
      version: OCSF_VERSION,
      uid: event.event_id,
      tenant_uid: event.tenant,
      profiles: ['security_control'],
      product: { name: 'mcp-authz', vendor_name: 'mcp-authz' },
      ...(event.decision_id !== undefined ? { correlation_uid: event.decision_id } : {}),
    },
    actor: {
      ...(event.principal ? { user: { uid: event.principal.id, ...(event.principal.type ? { type: event.principal.type } : {}) } } : {}),
      ...(event.agent_id !== undefined ? { app_uid: event.agent_id } : {}),
      ...(event.session_id !== undefined ? { session: { uid: event.session_id } } : {}),
    },
    api: {
      operation: event.action ?? event.event_type,
      ...(event.server !== undefined ? { service: { name: event.server } } : {}),
      ...(event.request_id !== undefined ? { request: { uid: event.request_id } } : {}),
    },
    // The caller's address is not part of an audit event; OCSF requires the object.
    src_endpoint: {},
    ...(resource !== undefined ? { resources: [{ name: resource, type: event.tool !== undefined ? 'tool' : event.uri !== undefined ? 'resource' : 'prompt' }] } : {}),
    ...(event.revision !== undefined || event.reason !== undefined
      ? { policy: { name: 'mcp-authz', ...(event.revision !== undefined ? { version: event.revision } : {}), ...(event.reason !== undefined ? { desc: event.reason } : {}) } }
      : {}),
    unmapped: {
      event_type: event.event_type,
      ...(event.decision !== undefined ? { decision: event.decision } : {}),
      ...(event.outcome !== undefined ? { outcome: event.outcome } : {}),
      ...(event.payload !== undefined ? { payload: event.payload } : {}),
    },
  };
}
