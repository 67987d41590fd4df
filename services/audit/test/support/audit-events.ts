import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../../../common/contracts/audit-event';

let clock = Date.parse('2026-01-01T00:00:00.000Z');

/** A valid decision event; each call a new id and a later time, unless overridden. */
export function decisionEvent(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  clock += 1000;
  return {
    event_id: randomUUID(),
    event_type: 'decision',
    occurred_at: new Date(clock).toISOString(),
    decision: 'allow',
    principal: { id: 'alice', type: 'user' },
    action: 'tools/call',
    server: 'github',
    tool: 'create_issue',
    reason: 'policy allows',
    revision: 'rev-1',
    decision_id: randomUUID(),
    latency_ms: 0.42,
    payload: { arguments: { title: 'hello' } },
    ...overrides,
  };
}
