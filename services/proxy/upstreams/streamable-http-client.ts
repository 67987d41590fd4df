import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  isInitializedNotification,
  JSONRPCMessageSchema,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { SseParser } from './sse-parser';

const ACCEPT_BOTH = 'application/json, text/event-stream';
// A stream that ends before answering is resumed (GET with Last-Event-ID) at most this often in a row.
const MAX_RESUMPTIONS = 2;
const GET_RETRY = { initialMs: 1000, maxMs: 30_000 };

/**
 * The client side of Streamable HTTP towards one upstream, on Node's http module with a keep-alive
 * agent. It replaces the SDK's fetch-based transport, whose fetch, web streams and SSE parser stream
 * cost several hundred microseconds of CPU per request. It does what the proxy needs of the spec:
 * POST with JSON or SSE answers, the session id and protocol version headers, the GET stream for
 * server-initiated messages (reconnecting with backoff and Last-Event-ID), resuming a POST stream that
 * ends before its answer, and closing when the upstream forgets the session (404) so the upstream is
 * initialized again. No OAuth: remote upstreams get the headers of their configuration.
 *
 * It also remembers which stream each message came on (`relatedRequestOf`): a server sends the requests
 * and notifications that belong to a request on that request's POST stream, which is how the proxy tells
 * whose client a sampling or elicitation request of a shared upstream is for.
 */
export class StreamableHttpClient implements Transport {
  sessionId?: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  private protocolVersion: string | undefined;
  private closed = false;
  private readonly module: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly target: http.RequestOptions;
  private readonly open = new Set<http.ClientRequest>();
  private getRetryMs = GET_RETRY.initialMs;
  private getRetryTimer: NodeJS.Timeout | undefined;
  private getLastEventId: string | undefined;
  private readonly related = new WeakMap<JSONRPCMessage, RequestId | null>();

  constructor(
    url: URL,
    private readonly configuredHeaders: Record<string, string> = {},
  ) {
    this.module = url.protocol === 'https:' ? https : http;
    this.agent = new this.module.Agent({ keepAlive: true });
    this.target = { ...urlToHttpOptions(url), agent: this.agent };
  }

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  /**
   * For a request or notification of the server that came on a POST's stream: the `relatedRequestId` that
   * POST was sent with, or null when it was sent without one. Undefined for what came on the GET stream
   * (which belongs to no request), for answers, and for messages this transport did not deliver.
   */
  relatedRequestOf(message: JSONRPCMessage): RequestId | null | undefined {
    return this.related.get(message);
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.closed) throw new Error('transport closed');
    const relatedId = options?.relatedRequestId ?? null;
    const body = JSON.stringify(message);
    const res = await this.request('POST', { 'content-type': 'application/json', accept: ACCEPT_BOTH, 'content-length': String(Buffer.byteLength(body)) }, body);
    const sessionId = res.headers['mcp-session-id'];
    if (typeof sessionId === 'string') this.sessionId = sessionId;
    const status = res.statusCode ?? 0;
    if (status === 202) {
      res.resume();
      if (isInitializedNotification(message)) this.openGetStream();
      return;
    }
    if (status === 404 && this.sessionId !== undefined) {
      res.resume();
      // The upstream forgot the session: closing lets the upstream connect and initialize again.
      void this.close();
      throw new Error('the upstream no longer knows this session (404)');
    }
    if (status < 200 || status >= 300) throw new Error(`the upstream answered HTTP ${status}: ${(await readText(res)).slice(0, 200)}`);
    // The message is the SDK client's own: a look at its fields tells a request without validating it again.
    const pending = new Set<RequestId>('method' in message && 'id' in message ? [message.id] : []);
    const type = res.headers['content-type'] ?? '';
    if (type.includes('text/event-stream')) return this.readStream(res, { pending, relatedId }, 0);
    if (!type.includes('application/json')) {
      res.resume();
      throw new Error(`the upstream answered with content type ${type || 'none'}`);
    }
    const parsed: unknown = JSON.parse(await readText(res));
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) this.deliver(item, { pending, relatedId });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.getRetryTimer);
    for (const req of this.open) req.destroy();
    this.open.clear();
    this.agent.destroy();
    this.onclose?.();
  }

  private request(method: string, headers: Record<string, string>, body?: string, retried = false): Promise<http.IncomingMessage> {
    const all: Record<string, string> = { ...this.configuredHeaders, ...headers };
    if (this.sessionId !== undefined) all['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion !== undefined) all['mcp-protocol-version'] = this.protocolVersion;
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = this.module.request({ ...this.target, method, headers: all }, (res) => {
        answered = true;
        resolve(res);
      });
      this.open.add(req);
      req.once('close', () => this.open.delete(req));
      req.once('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the upstream closed while it was idle resets before any answer: the
        // request never reached the server, so it is sent once more on a new connection.
        if (!answered && !retried && req.reusedSocket && error.code === 'ECONNRESET' && !this.closed) resolve(this.request(method, headers, body, true));
        else reject(error);
      });
      req.end(body);
    });
  }

  /** Messages of an SSE answer as they come; requests of `pending` still unanswered when it ends are resumed, or failed. */
  private readStream(res: http.IncomingMessage, stream: IncomingStream, resumptions: number): void {
    const { pending } = stream;
    let lastEventId: string | undefined;
    let answered = false;
    const parser = new SseParser((event) => {
      if (event.id !== undefined) lastEventId = event.id;
      if (event.data === '' || (event.event !== undefined && event.event !== 'message')) return;
      answered = this.deliver(event.data, stream) || answered;
    });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => parser.push(chunk));
    res.once('error', () => undefined);
    res.once('close', () => {
      if (pending.size === 0 || this.closed) return;
      const attempt = answered ? 0 : resumptions + 1;
      if (lastEventId !== undefined && attempt <= MAX_RESUMPTIONS) void this.resume(lastEventId, stream, attempt);
      else this.failPending(pending);
    });
  }

  private async resume(lastEventId: string, stream: IncomingStream, resumptions: number): Promise<void> {
    try {
      const res = await this.request('GET', { accept: 'text/event-stream', 'last-event-id': lastEventId });
      if (res.statusCode !== 200) {
        res.resume();
        return this.failPending(stream.pending);
      }
      this.readStream(res, stream, resumptions);
    } catch {
      this.failPending(stream.pending);
    }
  }

  private failPending(pending: Set<RequestId>): void {
    for (const id of pending) this.onmessage?.({ jsonrpc: '2.0', id, error: { code: ErrorCode.ConnectionClosed, message: 'the upstream closed the stream before answering' } });
    pending.clear();
  }

  /** Hands one message to the client; true when it answered one of the stream's pending requests. */
  private deliver(raw: unknown, stream: IncomingStream): boolean {
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(typeof raw === 'string' ? JSON.parse(raw) : raw);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    let answers = false;
    // Validated above: a message without a method is an answer.
    if (!('method' in message)) {
      answers = true;
      if (message.id !== undefined) stream.pending.delete(message.id);
    } else if (stream.relatedId !== undefined) {
      this.related.set(message, stream.relatedId);
    }
    this.onmessage?.(message);
    return answers;
  }

  /** The GET stream for what the upstream sends outside any request; 405 means it offers none. */
  private openGetStream(): void {
    if (this.closed) return;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.getLastEventId !== undefined) headers['last-event-id'] = this.getLastEventId;
    this.request('GET', headers).then(
      (res) => {
        if (res.statusCode === 405) return void res.resume();
        if (res.statusCode !== 200) {
          res.resume();
          return this.retryGetStream(new Error(`GET stream answered HTTP ${res.statusCode}`));
        }
        this.getRetryMs = GET_RETRY.initialMs;
        const parser = new SseParser((event) => {
          if (event.id !== undefined) this.getLastEventId = event.id;
          if (event.data !== '' && (event.event === undefined || event.event === 'message')) this.deliver(event.data, { pending: new Set(), relatedId: undefined });
        });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => parser.push(chunk));
        res.once('error', () => undefined);
        res.once('close', () => this.retryGetStream(new Error('GET stream ended')));
      },
      (error: unknown) => this.retryGetStream(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private retryGetStream(error: Error): void {
    if (this.closed) return;
    this.onerror?.(error);
    clearTimeout(this.getRetryTimer);
    this.getRetryTimer = setTimeout(() => this.openGetStream(), this.getRetryMs);
    this.getRetryTimer.unref();
    this.getRetryMs = Math.min(GET_RETRY.maxMs, this.getRetryMs * 2);
  }
}

/** What arrives on one stream: the requests it still owes answers to, and the request it serves (undefined: the GET stream). */
interface IncomingStream {
  pending: Set<RequestId>;
  relatedId: RequestId | null | undefined;
}

function readText(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}
