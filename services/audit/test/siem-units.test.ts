import { ConfigError } from '../../common';
import type { ChainedEvent } from '../ingest/stored-event';
import { chunkByLimits } from '../siem/batch-chunks';
import { boundedQueue } from '../siem/bounded-queue';
import { toCefMessage } from '../siem/formats/cef-message';
import { toEcsEvent } from '../siem/formats/ecs-event';
import { formatEvent } from '../siem/formats/format-event';
import { toOcsfApiActivity } from '../siem/formats/ocsf-api-activity';
import { octetCountedFrame, syslogMessage } from '../siem/formats/syslog-5424';
import { createRecentEvents } from '../siem/recent-events';
import { backoffDelayMs, isTransientStatus, nextAttemptDelayMs, retryAfterMs } from '../siem/retry-policy';
import { describeSink, parseSinks } from '../siem/sink-config';
import { webhookSignature } from '../siem/sinks/webhook';
import { parseRfc5424 } from './support/fake-syslog-receiver';

const denied: ChainedEvent = {
  event_id: '0b5c7d3e-1f2a-4b6c-8d9e-0a1b2c3d4e5f',
  event_type: 'decision',
  occurred_at: '2026-03-01T10:00:00.123Z',
  tenant: 'acme',
  decision: 'deny',
  principal: { id: 'alice', type: 'user' },
  agent_id: 'agent-7',
  action: 'tools/call',
  server: 'github',
  tool: 'delete_repo',
  reason: 'destructive tools need approval',
  revision: 'rev-9',
  decision_id: 'd-1',
  request_id: 'r-1',
  latency_ms: 1.5,
  payload: { arguments: { repo: 'x' } },
};

describe('AUDIT_SINKS schema', () => {
  it('reads JSON and YAML, fills defaults and names sinks after their type', () => {
    const fromJson = parseSinks(JSON.stringify([{ type: 'splunk_hec', url: 'https://splunk:8088', token: 'secret-token' }]));
    expect(fromJson).toEqual([
      expect.objectContaining({
        type: 'splunk_hec',
        name: 'splunk_hec',
        format: 'raw',
        sourcetype: 'mcp-authz:audit',
        source: 'mcp-authz',
        max_attempts: 12,
        batch: { max_events: 500, max_bytes: 1_000_000 },
        retry: { base_ms: 500, max_ms: 300_000 },
      }),
    ]);
    const fromYaml = parseSinks(`
- type: datadog
  name: dd
  api_key: dd-key
  format: ocsf
- type: syslog
  url: tls://siem.example:6514
  message: cef
  tls: { reject_unauthorized: false }
- type: elastic
  url: https://es:9200
  username: u
  password: p
`);
    expect(fromYaml.map((sink) => [sink.name, sink.type, sink.format])).toEqual([
      ['dd', 'datadog', 'ocsf'],
      ['syslog', 'syslog', 'raw'],
      ['elastic', 'elastic', 'raw'],
    ]);
    expect(fromYaml[0]).toMatchObject({ url: 'https://http-intake.logs.datadoghq.com', batch: { max_events: 500 } });
    expect(parseSinks(undefined)).toEqual([]);
    expect(parseSinks('  ')).toEqual([]);
  });

  it('turns `ack: true` into polling settings', () => {
    const [sink] = parseSinks('[{"type":"splunk_hec","url":"http://s:8088","token":"t","ack":true}]');
    expect(sink).toMatchObject({ ack: { poll_interval_ms: 1000, timeout_ms: 60_000 } });
  });

  it.each([
    ['not a list', '{"type":"webhook"}', 'AUDIT_SINKS'],
    ['unknown type', '[{"type":"kafka","url":"http://x"}]', 'AUDIT_SINKS.0.type'],
    ['missing token', '[{"type":"splunk_hec","url":"http://x"}]', 'AUDIT_SINKS.0.token'],
    ['Datadog over 1000 entries', '[{"type":"datadog","api_key":"k","batch":{"max_events":1001}}]', 'AUDIT_SINKS.0.batch.max_events'],
    ['Datadog over 5 MB', '[{"type":"datadog","api_key":"k","batch":{"max_bytes":5000001}}]', 'AUDIT_SINKS.0.batch.max_bytes'],
    ['syslog over http', '[{"type":"syslog","url":"http://x:514"}]', 'AUDIT_SINKS.0.url'],
    ['unknown setting', '[{"type":"webhook","url":"http://x","secret":"0123456789abcdef","tokn":"x"}]', 'AUDIT_SINKS.0'],
    ['bad format', '[{"type":"webhook","url":"http://x","secret":"0123456789abcdef","format":"cef"}]', 'AUDIT_SINKS.0.format'],
    ['duplicate names', '[{"type":"datadog","api_key":"k"},{"type":"datadog","api_key":"k2"}]', 'AUDIT_SINKS.1.name'],
    ['username without password', '[{"type":"elastic","url":"http://es","username":"u"}]', 'AUDIT_SINKS.0.password'],
  ])('rejects %s, naming the field', (_, text, variable) => {
    let error: unknown;
    try {
      parseSinks(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable)).toContain(variable);
  });

  it('never puts a secret in an error or in the loggable description', () => {
    const secrets = ['hec-token-SECRET', 'dd-key-SECRET', 'hook-secret-SECRET-0123'];
    let message = '';
    try {
      parseSinks(JSON.stringify([{ type: 'splunk_hec', url: 'ftp://x', token: secrets[0] }, { type: 'datadog', api_key: secrets[1], batch: { max_events: 5000 } }]));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('AUDIT_SINKS.0.url');
    for (const secret of secrets) expect(message).not.toContain(secret);
    const sinks = parseSinks(
      JSON.stringify([
        { type: 'splunk_hec', url: 'https://user:pw@splunk:8088/?token=q', token: secrets[0] },
        { type: 'webhook', url: 'https://hooks/x', secret: secrets[2], headers: { authorization: 'Bearer SECRET' } },
      ]),
    );
    const described = JSON.stringify(sinks.map(describeSink));
    expect(described).not.toMatch(/SECRET|pw@|token=q/);
    expect(described).toContain('https://splunk:8088/');
  });
});

describe('OCSF API Activity (6003) with the security_control profile', () => {
  it('maps a denied tool call', () => {
    const ocsf = toOcsfApiActivity(denied);
    expect(ocsf).toMatchObject({
      class_uid: 6003,
      category_uid: 6,
      activity_id: 99,
      type_uid: 600399,
      time: Date.parse(denied.occurred_at),
      action_id: 2,
      action: 'Denied',
      disposition_id: 2,
      status_id: 2,
      message: 'destructive tools need approval',
      metadata: { uid: denied.event_id, profiles: ['security_control'], product: { name: 'mcp-authz' }, tenant_uid: 'acme', correlation_uid: 'd-1' },
      actor: { user: { uid: 'alice', type: 'user' }, app_uid: 'agent-7' },
      api: { operation: 'tools/call', service: { name: 'github' }, request: { uid: 'r-1' } },
      resources: [{ name: 'delete_repo', type: 'tool' }],
      policy: { name: 'mcp-authz', version: 'rev-9', desc: 'destructive tools need approval' },
      unmapped: { payload: { arguments: { repo: 'x' } } },
    });
  });

  it('maps an allowed read as Read / Allowed', () => {
    const ocsf = toOcsfApiActivity({ ...denied, decision: 'allow', action: 'resources/read', tool: undefined, uri: 'file:///a' } as ChainedEvent);
    expect(ocsf).toMatchObject({ activity_id: 2, type_uid: 600302, action_id: 1, action: 'Allowed', status_id: 1, resources: [{ name: 'file:///a', type: 'resource' }] });
  });
});

describe('ECS', () => {
  it('maps allow and deny to event.type and event.outcome', () => {
    expect(toEcsEvent(denied)).toMatchObject({
      '@timestamp': denied.occurred_at,
      event: { id: denied.event_id, kind: 'event', category: ['api'], type: ['denied'], outcome: 'failure', action: 'tools/call', duration: 1_500_000 },
      user: { id: 'alice' },
      service: { name: 'github' },
      rule: { version: 'rev-9' },
      labels: { tenant: 'acme' },
      mcp_authz: { decision: 'deny', tool: 'delete_repo', agent_id: 'agent-7' },
    });
    expect(toEcsEvent({ ...denied, decision: 'allow' })).toMatchObject({ event: { type: ['allowed'], outcome: 'success' } });
    expect(toEcsEvent({ ...denied, decision: undefined, event_type: 'mcp_request', outcome: 'error' } as ChainedEvent)).toMatchObject({ event: { type: ['info'], outcome: 'failure' } });
  });

  it('raw is the stored event itself', () => {
    expect(formatEvent(denied, 'raw')).toEqual(denied);
  });
});

describe('syslog and CEF', () => {
  it('writes an RFC 5424 message with structured data, framed by octet counting', () => {
    const message = syslogMessage({ ...denied, reason: 'a "quoted" ] reason' }, { facility: 13, hostname: 'gw-1', appName: 'mcp-authz', procId: '42' }, 'héllo');
    const parsed = parseRfc5424(message);
    expect(parsed).toMatchObject({ pri: 13 * 8 + 4, version: 1, timestamp: denied.occurred_at, hostname: 'gw-1', appName: 'mcp-authz', procId: '42', msgId: 'decision', msg: 'héllo' });
    expect(parsed.structuredData).toBe(`[mcpAuthz@32473 eventId="${denied.event_id}" tenant="acme" decision="deny" principal="alice" server="github" tool="delete_repo"]`);
    const frame = octetCountedFrame(message);
    expect(frame.startsWith(`${Buffer.byteLength(message)} <`)).toBe(true);
    expect(Buffer.byteLength(message)).toBeGreaterThan(message.length);
  });

  it('escapes CEF header and extension values', () => {
    const cef = toCefMessage({ ...denied, tool: 'a|b', reason: 'x=1\\y\nz' });
    expect(cef.startsWith('CEF:0|mcp-authz|mcp-authz|0.1.0|decision:deny|tools/call a\\|b denied|5|')).toBe(true);
    expect(cef).toContain('reason=x\\=1\\\\y\\nz');
    expect(cef).toContain(`externalId=${denied.event_id}`);
    expect(cef).toContain('cs3Label=tool cs3=a|b');
    expect(cef).not.toContain('cs2Label=server cs2=undefined');
  });
});

describe('retry policy', () => {
  const settings = { base_ms: 100, max_ms: 1000 };

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelayMs(1, settings, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, settings, () => 0.999)).toBe(399);
    expect(backoffDelayMs(10, settings, () => 0.999)).toBe(999);
    expect(backoffDelayMs(10, settings, () => 0)).toBe(0);
  });

  it('honours Retry-After in seconds or as a date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(nextAttemptDelayMs(1, settings, 7000, () => 0)).toBe(7000);
  });

  it('retries only timeouts, throttling and server errors', () => {
    expect([408, 429, 500, 503].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isTransientStatus)).toBe(false);
  });
});

describe('batching', () => {
  it('splits by event count and by bytes, keeping order', () => {
    const events = Array.from({ length: 7 }, (_, i) => ({ eventId: String(i), text: 'x'.repeat(10), bytes: 10 }));
    expect(chunkByLimits(events, 3, 1000).map((chunk) => chunk.length)).toEqual([3, 3, 1]);
    expect(chunkByLimits(events, 100, 35).map((chunk) => chunk.map((e) => e.eventId).join(''))).toEqual(['012', '345', '6']);
  });
});

describe('webhook signature', () => {
  it('is sha256= and the hex HMAC of the body', () => {
    expect(webhookSignature('key', 'The quick brown fox jumps over the lazy dog')).toBe('sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
  });
});

describe('bounded relay queue', () => {
  it('runs at most the given number of database calls at once', async () => {
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const slow = async (value: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(value);
      running--;
    };
    const queue = boundedQueue(
      {
        claim: async () => [],
        releaseExpiredLeases: async () => 0,
        markDelivered: async (ids) => slow(Number(ids[0])),
        scheduleRetry: async () => undefined,
        release: async () => undefined,
        deadLetter: async () => undefined,
        lagSeconds: async () => 0,
      },
      2,
    );
    await Promise.all(Array.from({ length: 8 }, (_, i) => queue.markDelivered([String(i)])));
    expect(peak).toBe(2);
    expect(order).toHaveLength(8);
  });
});

describe('recent events held for the relays', () => {
  const entry = (eventId: string, canonical: string) => ({ eventId, canonical, occurredAt: '2026-03-01T10:00:00.000Z' });

  it('keeps at most the configured text length, dropping the oldest events first', () => {
    const recent = createRecentEvents(10);
    recent.remember([entry('a', '{"n":1}'), entry('b', '{"n":2}')]);
    expect(recent.get('a')).toBeUndefined();
    expect(recent.get('b')?.canonical).toBe('{"n":2}');
    recent.remember([entry('c', '{}')]);
    expect(recent.get('b')?.canonical).toBe('{"n":2}');
    recent.remember([entry('d', '{"n":4}')]);
    expect([recent.get('b'), recent.get('c')?.canonical, recent.get('d')?.canonical]).toEqual([undefined, '{}', '{"n":4}']);
  });

  it('never holds a text longer than the limit, and never replaces what it holds for an event', () => {
    const recent = createRecentEvents(10);
    recent.remember([entry('a', '{"n":1}'), entry('big', '{"n":"0123456789"}'), entry('a', '{"n":9}')]);
    expect(recent.get('big')).toBeUndefined();
    expect(recent.get('a')?.canonical).toBe('{"n":1}');
  });
});
