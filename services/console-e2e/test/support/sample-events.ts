import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '../../../common/contracts/audit-event';

const START = Date.parse('2026-11-18T09:00:00Z');

/**
 * Decision events as the PDP records them (the policy input in the payload), alternating allow and
 * deny, a minute apart, across two tenants.
 */
export function sampleDecisions(count: number, tenant = 'default'): AuditEventInput[] {
  return Array.from({ length: count }, (_, index): AuditEventInput => {
    const denied = index % 3 === 2;
    const principal = denied ? { id: 'bob', type: 'user' } : { id: 'alice', type: 'user' };
    const tool = denied ? 'get-env' : 'echo';
    return {
      event_id: randomUUID(),
      event_type: 'decision',
      occurred_at: new Date(START + index * 60_000).toISOString(),
      tenant,
      decision: denied ? 'deny' : 'allow',
      principal,
      action: 'tools/call',
      server: 'everything',
      tool,
      reason: denied ? 'role analyst grants no tools/call on everything/get-env' : 'granted by role developer',
      revision: 'mcp-authz-example-1',
      decision_id: randomUUID(),
      latency_ms: 0.2,
      payload: {
        input: {
          principal,
          action: 'tools/call',
          resource: { server: 'everything', tool },
          parameters: { message: `hello ${index}` },
          context: { ip: '127.0.0.1', time: '2026-11-18T10:00:00Z' },
        },
      },
    };
  });
}
