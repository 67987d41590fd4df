import { describe, expect, it } from 'vitest';
import { auditQueryOf, EMPTY_FILTERS, filtersFromParams } from '../src/pages/audit-filters';

describe('the audit explorer filters', () => {
  it('leave blank fields out and trim the rest', () => {
    expect(auditQueryOf({ ...EMPTY_FILTERS, principal: ' alice ', decision: 'deny' })).toEqual({
      principal: 'alice',
      agent: undefined,
      decision: 'deny',
      server: undefined,
      tool: undefined,
      action: undefined,
      event_type: undefined,
      from: undefined,
      to: undefined,
    });
  });

  it('send local times as RFC 3339 instants', () => {
    const query = auditQueryOf({ ...EMPTY_FILTERS, from: '2026-11-18T10:00' });
    expect(query.from).toBe(new Date('2026-11-18T10:00').toISOString());
    expect(auditQueryOf({ ...EMPTY_FILTERS, to: 'not a time' }).to).toBeUndefined();
  });

  it('come from the page URL so a filtered view can be linked', () => {
    const form = filtersFromParams(new URLSearchParams('decision=deny&tool=get-env&unknown=x'));
    expect(form).toEqual({ ...EMPTY_FILTERS, decision: 'deny', tool: 'get-env' });
  });
});
