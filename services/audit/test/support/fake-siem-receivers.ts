import { createHmac, timingSafeEqual } from 'node:crypto';
import { startFakeHttpReceiver, type FakeHttpReceiver, type FakeResponse, type ReceivedRequest } from './fake-http-receiver';

/**
 * SIEM receivers speaking the real wire protocols, strict enough that a client getting them wrong fails:
 * Splunk HEC (with indexer acknowledgement), Datadog Logs intake v2, Elasticsearch `_bulk`, a signed webhook.
 */

/** Concatenated JSON objects (`{…}{…}` or newline separated), as HEC takes them. */
export function splitConcatenatedJson(body: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) values.push(JSON.parse(body.slice(start, i + 1)));
    } else if (depth === 0 && !/\s/.test(c ?? '')) {
      throw new Error(`unexpected ${c} between events`);
    }
  }
  return values;
}

export interface HecEnvelope {
  time?: number;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  event: Record<string, unknown>;
}

export interface FakeHec extends FakeHttpReceiver {
  /** Indexed events, in order. */
  events: HecEnvelope[];
  /** Polls answered "not yet" before an ack id reads true. */
  ackPollsBeforeIndexed: number;
  ackPolls: number;
}

export async function startFakeHec(options: { token: string; port?: number; eventIdOf?: (event: HecEnvelope) => string }): Promise<FakeHec> {
  let nextAck = 0;
  const acks = new Map<number, { polls: number; events: HecEnvelope[] }>();
  const fake = {} as FakeHec;
  const receiver = await startFakeHttpReceiver((request) => {
    if (request.headers.authorization !== `Splunk ${options.token}`) {
      return request.headers.authorization ? { status: 403, body: { text: 'Invalid token', code: 4 } } : { status: 401, body: { text: 'Token is required', code: 2 } };
    }
    const channel = request.headers['x-splunk-request-channel'];
    if (request.path.startsWith('/services/collector/ack')) return ackAnswer(request, typeof channel === 'string');
    if (request.path !== '/services/collector/event') return { status: 404, body: { text: 'Not found', code: 404 } };
    if (request.body.trimStart().startsWith('[')) return { status: 400, body: { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 } };
    let envelopes: unknown[];
    try {
      envelopes = splitConcatenatedJson(request.body);
    } catch {
      return { status: 400, body: { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 } };
    }
    const accepted: HecEnvelope[] = [];
    for (const [index, envelope] of envelopes.entries()) {
      const event = (envelope as { event?: unknown }).event;
      if (typeof event !== 'object' || event === null || JSON.stringify(event).includes('"poison"')) {
        fake.events.push(...accepted);
        return { status: 400, body: { text: 'Event field is required', code: 12, 'invalid-event-number': index } };
      }
      accepted.push(envelope as HecEnvelope);
    }
    if (typeof channel !== 'string') {
      fake.events.push(...accepted);
      return { status: 200, body: { text: 'Success', code: 0 } };
    }
    const ackId = nextAck++;
    acks.set(ackId, { polls: 0, events: accepted });
    return { status: 200, body: { text: 'Success', code: 0, ackId } };
  }, options.port);

  function ackAnswer(request: ReceivedRequest, hasChannel: boolean): FakeResponse {
    if (!hasChannel) return { status: 400, body: { text: 'Data channel is missing', code: 10 } };
    fake.ackPolls++;
    const ids = (JSON.parse(request.body) as { acks: number[] }).acks;
    const answer: Record<string, boolean> = {};
    for (const id of ids) {
      const pending = acks.get(id);
      if (!pending) answer[id] = false;
      else if (pending.polls++ >= fake.ackPollsBeforeIndexed) {
        // Indexed on the first poll past the delay; the events count once.
        if (pending.events.length > 0) fake.events.push(...pending.events);
        pending.events = [];
        answer[id] = true;
      } else answer[id] = false;
    }
    return { status: 200, body: { acks: answer } };
  }

  return Object.assign(fake, receiver, { events: [] as HecEnvelope[], ackPollsBeforeIndexed: 0, ackPolls: 0 });
}

export interface FakeDatadog extends FakeHttpReceiver {
  logs: Record<string, unknown>[];
}

export async function startFakeDatadog(options: { apiKey: string; port?: number }): Promise<FakeDatadog> {
  const fake = {} as FakeDatadog;
  const receiver = await startFakeHttpReceiver((request) => {
    if (request.path !== '/api/v2/logs') return { status: 404, body: { errors: ['not found'] } };
    if (request.headers['dd-api-key'] !== options.apiKey) return { status: 403, body: { errors: ['Forbidden'] } };
    if (Buffer.byteLength(request.body) > 5 * 1024 * 1024) return { status: 413, body: { errors: ['Payload too large'] } };
    let entries: unknown;
    try {
      entries = JSON.parse(request.body);
    } catch {
      return { status: 400, body: { errors: ['Bad Request'] } };
    }
    if (!Array.isArray(entries) || entries.length > 1000) return { status: 400, body: { errors: ['Bad Request'] } };
    fake.logs.push(...(entries as Record<string, unknown>[]));
    return { status: 202, body: {} };
  }, options.port);
  return Object.assign(fake, receiver, { logs: [] as Record<string, unknown>[] });
}

export interface FakeElastic extends FakeHttpReceiver {
  /** Documents by `_index/_id`. */
  documents: Map<string, Record<string, unknown>>;
  /** Documents (by `_id`) this fake refuses with the given item status. */
  itemStatus: Map<string, number>;
}

export async function startFakeElastic(options: { apiKey: string; port?: number }): Promise<FakeElastic> {
  const fake = {} as FakeElastic;
  const receiver = await startFakeHttpReceiver((request) => {
    if (request.headers.authorization !== `ApiKey ${options.apiKey}`) return { status: 401, body: { error: { type: 'security_exception' }, status: 401 } };
    if (!request.path.startsWith('/_bulk')) return { status: 404, body: {} };
    if (!String(request.headers['content-type']).startsWith('application/x-ndjson')) return { status: 406, body: {} };
    if (!request.body.endsWith('\n')) return { status: 400, body: { error: { type: 'illegal_argument_exception', reason: 'The bulk request must be terminated by a newline' } } };
    const lines = request.body.split('\n').filter((line) => line.length > 0);
    const items: unknown[] = [];
    let errors = false;
    for (let i = 0; i < lines.length; i += 2) {
      const action = JSON.parse(lines[i]!) as { create?: { _index: string; _id: string } };
      if (!action.create) return { status: 400, body: { error: { type: 'illegal_argument_exception', reason: 'expected create' } } };
      const { _index, _id } = action.create;
      const key = `${_index}/${_id}`;
      const refused = fake.itemStatus.get(_id);
      if (refused) {
        errors = true;
        items.push({ create: { _index, _id, status: refused, error: { type: refused === 429 ? 'es_rejected_execution_exception' : 'mapper_parsing_exception', reason: 'refused by the test' } } });
      } else if (fake.documents.has(key)) {
        errors = true;
        items.push({ create: { _index, _id, status: 409, error: { type: 'version_conflict_engine_exception', reason: 'document already exists' } } });
      } else {
        fake.documents.set(key, JSON.parse(lines[i + 1]!) as Record<string, unknown>);
        items.push({ create: { _index, _id, status: 201, result: 'created' } });
      }
    }
    return { status: 200, body: { took: 1, errors, items } };
  }, options.port);
  return Object.assign(fake, receiver, { documents: new Map<string, Record<string, unknown>>(), itemStatus: new Map<string, number>() });
}

export interface FakeWebhook extends FakeHttpReceiver {
  events: Record<string, unknown>[];
}

export async function startFakeWebhook(options: { secret: string; header: string; port?: number }): Promise<FakeWebhook> {
  const fake = {} as FakeWebhook;
  const receiver = await startFakeHttpReceiver((request) => {
    const expected = Buffer.from(`sha256=${createHmac('sha256', options.secret).update(request.raw).digest('hex')}`);
    const given = Buffer.from(String(request.headers[options.header.toLowerCase()] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 401, body: { error: 'bad signature' } };
    fake.events.push(...(JSON.parse(request.body) as Record<string, unknown>[]));
    return { status: 204 };
  }, options.port);
  return Object.assign(fake, receiver, { events: [] as Record<string, unknown>[] });
}
