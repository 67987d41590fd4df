import request from 'supertest';
import { auditEventSchema } from '../../common/audit-client';
import { conformsToAuditContract } from '../decisions/audit-contract-check';
import type { DecisionEvent } from '../decisions/decision-recorder';
import { testPdp } from './support/test-app';

function decisionEvent(): DecisionEvent {
  return {
    event_id: '6f1c2b7e-3d4a-4c5b-9e8f-0a1b2c3d4e5f',
    event_type: 'decision',
    occurred_at: '2026-11-22T08:00:00.123Z',
    tenant: 'acme',
    decision: 'allow',
    reason: 'echo is public',
    decision_id: '0b7e8f7a-4c1d-4e2b-8a3f-5d6c7b8a9e0f',
    request_id: 'req-1',
    latency_ms: 0.02,
    revision: 'r1',
    principal: { id: 'alice', type: 'user' },
    action: 'tools/call',
    server: 'everything',
    tool: 'echo',
    payload: { input: { parameters: { password: 'p' } }, result: { allow: true } },
    masks: ['/payload/input/parameters/password', { op: 'upsert', path: '/payload/result/x', value: 1 }],
  };
}

const changes: [string, (event: Record<string, any>) => void][] = [
  ['unchanged', () => undefined],
  ['tenant with a space', (event) => (event.tenant = 'acme corp')],
  ['empty tenant', (event) => (event.tenant = '')],
  ['tenant of 129 characters', (event) => (event.tenant = 't'.repeat(129))],
  ['tenant of 128 characters', (event) => (event.tenant = 't'.repeat(128))],
  ['event id not a UUID', (event) => (event.event_id = 'evt-1')],
  ['timestamp without zone', (event) => (event.occurred_at = '2026-11-22T08:00:00')],
  ['empty tool', (event) => (event.tool = '')],
  ['server of 513 characters', (event) => (event.server = 's'.repeat(513))],
  ['server of 512 characters', (event) => (event.server = 's'.repeat(512))],
  ['reason of 8193 characters', (event) => (event.reason = 'r'.repeat(8193))],
  ['empty reason', (event) => (event.reason = '')],
  ['empty principal id', (event) => (event.principal = { id: '' })],
  ['principal type of 65 characters', (event) => (event.principal = { id: 'a', type: 't'.repeat(65) })],
  ['principal with another field', (event) => (event.principal = { id: 'a', roles: [] })],
  ['negative latency', (event) => (event.latency_ms = -1)],
  ['latency not a number', (event) => (event.latency_ms = Number.NaN)],
  ['unknown field', (event) => (event.verdict = 'allow')],
  ['tool not a string', (event) => (event.tool = 7)],
];

describe('conformsToAuditContract', () => {
  it.each(changes)('never accepts what the audit schema refuses (%s)', (_name, change) => {
    const event = decisionEvent();
    change(event as unknown as Record<string, any>);
    const valid = auditEventSchema.safeParse(event).success;
    if (conformsToAuditContract(event)) expect(valid).toBe(true);
  });

  it('accepts the usual decision event, and refuses a tenant outside the audit character set', () => {
    expect(conformsToAuditContract(decisionEvent())).toBe(true);
    expect(conformsToAuditContract({ ...decisionEvent(), tenant: 'acme corp' })).toBe(false);
  });

  it('accepts the events the PDP records for its endpoints', async () => {
    const { app, recorded } = testPdp();
    await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'echo', principal: { id: 'alice', tenant: 'acme' } });
    await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'secret', principal: { id: 'bob' } });
    await request(app).post('/v1/data/mcp/gateway/decision').send({ input: { principal: { id: 'alice' } } });
    await request(app).post('/access/v1/evaluation').send({ subject: { type: 'user', id: 'r' }, action: { name: 'tools/call' }, resource: { type: 'tool', id: 'echo' } });
    expect(recorded).toHaveLength(4);
    for (const event of recorded) expect(conformsToAuditContract(event as DecisionEvent)).toBe(true);
  });
});
