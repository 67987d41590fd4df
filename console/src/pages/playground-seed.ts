import type { AuditEvent, Entrypoint } from '../api/console-types';

export interface PlaygroundSeed {
  entrypoint: Entrypoint;
  input: unknown;
  source: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The playground input an audit event stands for. Decision events carry the input the policy saw
 * (after the bundle's decision-log masks: masked fields stay masked); other events are rebuilt from
 * their fields as the PDP would build a gateway input.
 */
export function playgroundSeedOf(event: AuditEvent): PlaygroundSeed {
  const source = `audit event ${event.event_id}`;
  const logged = event.payload?.input;
  if (isObject(logged)) {
    return { entrypoint: 'source_agent' in logged || 'target_agent' in logged ? 'mcp/a2a/decision' : 'mcp/gateway/decision', input: logged, source };
  }
  const resource: Record<string, string> = {};
  if (event.server) resource.server = event.server;
  if (event.tool) resource.tool = event.tool;
  if (event.uri) resource.uri = event.uri;
  if (event.prompt) resource.prompt = event.prompt;
  const input: Record<string, unknown> = {
    principal: event.principal ?? { id: 'unknown', type: 'user' },
    action: event.action ?? 'tools/call',
    resource,
    context: { time: event.occurred_at, ...(event.session_id ? { session_id: event.session_id } : {}) },
  };
  const args = event.payload?.arguments ?? event.payload?.parameters;
  if (isObject(args)) input.parameters = args;
  return { entrypoint: 'mcp/gateway/decision', input, source: `${source} (rebuilt from its fields: the event carries no policy input)` };
}

/** `datetime-local` values (no zone: the reader's local time) as RFC 3339 for the audit API. */
export function localTimeToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
