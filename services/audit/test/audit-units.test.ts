import { ConfigError, defaultIngestWorkers, loadAuditConfig } from '../../common';
import { canonicalJson } from '../../common/text/canonical-json';
import { applyMasks } from '../ingest/mask-pointers';
import { createRedactor } from '../ingest/redaction';
import { csvCell } from '../query/export-format';
import { decodeCursor, encodeCursor } from '../query/page-cursor';
import { splitSqlStatements } from '../store/sql-script';

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"z":1}]},"b":1}');
    expect(canonicalJson({ '10': 1, '2': 2, a: null })).toBe('{"10":1,"2":2,"a":null}');
    expect(canonicalJson({ outer: { '10': 1, '9': [undefined, 'x'] }, b: 'é', a: 1.5e300 })).toBe('{"a":1.5e+300,"b":"é","outer":{"10":1,"9":[null,"x"]}}');
    expect(canonicalJson([{ b: undefined, a: [1, { d: 1, c: 2 }] }])).toBe('[{"a":[1,{"c":2,"d":1}]}]');
  });
});

describe('SQL script splitting', () => {
  it('splits at top-level semicolons only', () => {
    const script = `-- a comment; with a semicolon
CREATE TABLE t (x text DEFAULT 'a;b');
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;
/* block; comment */ SELECT "odd;name" FROM t;
`;
    expect(splitSqlStatements(script)).toEqual([
      "-- a comment; with a semicolon\nCREATE TABLE t (x text DEFAULT 'a;b')",
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$',
      '/* block; comment */ SELECT "odd;name" FROM t',
    ]);
  });
});

describe('redaction', () => {
  const redactor = createRedactor(['ssn']);

  it('redacts URI passwords and secret query parameters but keeps the rest', () => {
    expect(redactor.redactUri('postgres://app:s3cret@db:5432/x?sslmode=require&password=p')).toBe(
      'postgres://app:[REDACTED]@db:5432/x?sslmode=require&password=[REDACTED]',
    );
    expect(redactor.redactUri('file:///tmp/notes.txt')).toBe('file:///tmp/notes.txt');
  });

  it('matches secret keys by suffix after normalising, so max_tokens survives', () => {
    expect(redactor.redactValue({ 'X-Api-Key': 'k', max_tokens: 5, customer_ssn: '1', tokens_used: 3 })).toEqual({
      'X-Api-Key': '[REDACTED]',
      max_tokens: 5,
      customer_ssn: '[REDACTED]',
      tokens_used: 3,
    });
  });

  it('recognises well-known secret formats wherever they appear', () => {
    expect(redactor.redactText('AKIAABCDEFGHIJKLMNOP')).toBe('[REDACTED]');
    expect(redactor.redactText('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')).toBe('[REDACTED]');
    expect(redactor.redactText('a harmless sentence')).toBe('a harmless sentence');
  });

  it.each([
    ['Bearer abcdefgh1234', true],
    ['  BASIC dXNlcjpwYXNzd29yZA==', true],
    ['bearer short', false],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE', true],
    ['-----BEGIN PUBLIC KEY-----', false],
    ['key AKIAABCDEFGHIJKLMNOP in text', true],
    [`ghp_${'a'.repeat(36)}`, true],
    ['xoxb-1234567890-abc', true],
    [`sk-${'A'.repeat(24)}`, true],
    ['task-sk-short', false],
    [`mcpz_${'x'.repeat(24)}`, true],
    ['text eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', false],
  ])('free text %j is a secret: %s', (text, secret) => {
    expect(redactor.redactText(text)).toBe(secret ? '[REDACTED]' : text);
  });

  it('gives a key the same verdict every time it is seen', () => {
    const keys = { apiKey: 'a', name: 'b', Authorization: 'c' };
    const first = redactor.redactValue(keys);
    expect(redactor.redactValue(keys)).toEqual(first);
    expect(first).toEqual({ Authorization: '[REDACTED]', apiKey: '[REDACTED]', name: 'b' });
  });
});

describe('mask pointers', () => {
  it('redacts, removes and upserts by JSON pointer, never touching the event identity', () => {
    const event = { event_id: 'id', payload: { 'a/b': 1, list: ['x', 'y'], keep: true } };
    expect(applyMasks(event, ['/payload/a~1b', { op: 'remove', path: '/payload/list/0' }, '/event_id', '/payload/missing'])).toEqual({
      event_id: 'id',
      payload: { 'a/b': '[REDACTED]', list: ['y'], keep: true },
    });
    expect(event.payload.list).toEqual(['x', 'y']);
  });
});

describe('CSV cells and cursors', () => {
  it('quotes CSV cells and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell(undefined)).toBe('');
  });

  it('round-trips a cursor and refuses a forged one', () => {
    const position = { occurredAt: '2026-01-01T00:00:00.000Z', eventId: '6f1c1d2e-0000-4000-8000-000000000001' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    expect(() => decodeCursor(Buffer.from('["x","y"]').toString('base64url'))).toThrow('invalid cursor');
  });
});

describe('audit configuration', () => {
  it('reads retention, extra redaction keys and partitions ahead', () => {
    const config = loadAuditConfig({ AUDIT_RETENTION_DAYS: '90', AUDIT_REDACT_KEYS: 'ssn, card_number', AUDIT_PARTITIONS_AHEAD_DAYS: '7' }, '/srv');
    expect(config).toMatchObject({ retentionDays: 90, redactKeys: ['ssn', 'card_number'], partitionsAheadDays: 7, dataDir: '/srv/.data' });
    expect(loadAuditConfig({}, '/srv')).toMatchObject({ retentionDays: undefined, redactKeys: [], partitionsAheadDays: 3 });
    expect(() => loadAuditConfig({ AUDIT_RETENTION_DAYS: '0' }, '/srv')).toThrow(ConfigError);
  });

  it('prepares batches in a worker thread when there are more than two cores, unless AUDIT_INGEST_WORKERS says otherwise', () => {
    expect([defaultIngestWorkers(1), defaultIngestWorkers(2), defaultIngestWorkers(4)]).toEqual([0, 0, 1]);
    expect(loadAuditConfig({}, '/srv').ingestWorkers).toBe(defaultIngestWorkers());
    expect(loadAuditConfig({ AUDIT_INGEST_WORKERS: '0' }, '/srv').ingestWorkers).toBe(0);
    expect(loadAuditConfig({ AUDIT_INGEST_WORKERS: '3' }, '/srv').ingestWorkers).toBe(3);
    expect(() => loadAuditConfig({ AUDIT_INGEST_WORKERS: 'two' }, '/srv')).toThrow(/AUDIT_INGEST_WORKERS/);
  });
});
