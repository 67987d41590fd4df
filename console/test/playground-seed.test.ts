import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../src/api/console-types';
import { playgroundSeedOf } from '../src/pages/playground-seed';

const base: AuditEvent = {
  event_id: 'e1',
  event_type: 'decision',
  occurred_at: '2026-11-18T10:00:00Z',
  tenant: 'default',
  seq: 1,
  prev_hash: '0'.repeat(64),
  hash: 'a'.repeat(64),
  received_at: '2026-11-18T10:00:00.012Z',
};

describe('opening an audit event in the playground', () => {
  it('uses the policy input a decision event logged, with its entrypoint', () => {
    const input = { principal: { id: 'alice' }, action: 'tools/call', resource: { server: 'everything', tool: 'echo' } };
    expect(playgroundSeedOf({ ...base, payload: { input } })).toEqual({ entrypoint: 'mcp/gateway/decision', input, source: 'audit event e1' });
    const a2a = { source_agent: { id: 'planner-agent' }, target_agent: { id: 'research-agent' }, capability: 'query' };
    expect(playgroundSeedOf({ ...base, payload: { input: a2a } }).entrypoint).toBe('mcp/a2a/decision');
  });

  it('rebuilds a gateway input from the fields of an event without a logged input', () => {
    const seed = playgroundSeedOf({
      ...base,
      event_type: 'mcp_request',
      principal: { id: 'bob', type: 'user' },
      action: 'tools/call',
      server: 'everything',
      tool: 'get-env',
      session_id: 's-1',
      payload: { arguments: { name: 'HOME' } },
    });
    expect(seed.entrypoint).toBe('mcp/gateway/decision');
    expect(seed.input).toEqual({
      principal: { id: 'bob', type: 'user' },
      action: 'tools/call',
      resource: { server: 'everything', tool: 'get-env' },
      context: { time: '2026-11-18T10:00:00Z', session_id: 's-1' },
      parameters: { name: 'HOME' },
    });
    expect(seed.source).toContain('rebuilt from its fields');
  });
});
