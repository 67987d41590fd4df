import { auditEventSchema } from '../../common/contracts/audit-event';
import { canonicalJson } from '../../common/text/canonical-json';
import { prepareEvent } from '../ingest/prepare-event';
import { createRedactor } from '../ingest/redaction';
import { decisionEvent } from './support/audit-events';

/** A deep copy listing every object's keys in reverse order: canonicalJson must sort it itself. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).reverse().map((key) => [key, reversedKeys((value as Record<string, unknown>)[key])]));
}

describe('canonical JSON of prepared events', () => {
  const redactor = createRedactor();

  it.each([
    ['a full decision', decisionEvent({ tenant: 'acme', agent_id: 'agent', uri: 'file:///x', prompt: 'p', request_id: 'r', session_id: 's', outcome: 'ok', error: 'e' })],
    ['nested payload with unsorted keys', decisionEvent({ payload: { zeta: { b: 1, a: [{ y: 2, x: 1 }] }, alpha: 'x', Token: 'hide' } })],
    ['integer-like payload keys', decisionEvent({ payload: { '10': 'ten', '2': 'two', b: { '1': true } } })],
    ['no optional fields', { event_id: '0b6f3f5e-8f43-4c7a-9a57-0d2f6b3f3d11', event_type: 'admin', occurred_at: '2026-01-01T00:00:00Z', tenant: 't' }],
  ])('is the same text whether the event arrives in key order or not (%s)', (_name, input) => {
    const prepared = prepareEvent(auditEventSchema.parse(input), redactor, 0, new Date('2026-06-01T00:00:00Z'));
    expect(canonicalJson(prepared)).toBe(canonicalJson(reversedKeys(prepared)));
    expect(JSON.parse(canonicalJson(prepared))).toEqual(JSON.parse(JSON.stringify(prepared)));
  });

  it('writes what JSON.stringify writes for a prepared event without integer-like keys', () => {
    const prepared = prepareEvent(auditEventSchema.parse(decisionEvent({ payload: { b: { d: 1, c: 2 }, a: 1 } })), redactor, 0, new Date('2026-06-01T00:00:00Z'));
    expect(canonicalJson(prepared)).toBe(JSON.stringify(prepared));
    expect(JSON.stringify(prepared.payload)).toBe('{"a":1,"b":{"c":2,"d":1}}');
  });

});
