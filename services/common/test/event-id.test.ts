import { auditEventSchema, newEventId } from '../audit-client';

describe('audit event ids', () => {
  it('are UUIDv7: the creation time in their first 48 bits, version 7, RFC 4122 variant', () => {
    const before = Date.now();
    const id = newEventId();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const millis = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after);
  });

  it('sort in the order they were made, so the store appends them to its indexes', () => {
    const ids = Array.from({ length: 2000 }, () => newEventId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are accepted as event ids by the audit event schema', () => {
    const event = { event_id: newEventId(), event_type: 'decision', occurred_at: new Date().toISOString() };
    expect(auditEventSchema.safeParse(event).success).toBe(true);
  });
});
