import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isInitializeRequest,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

export interface SessionTransportOptions {
  newSessionId(): string;
  onSessionInitialized(id: string): void;
  onSessionClosed(id: string): void;
  /** Interval of SSE keep-alive comments on open streams; an answer still pending after it turns into a stream. */
  keepAliveMs?: number;
}

/** A POST whose requests are not all answered yet. */
interface Exchange {
  res: ServerResponse;
  pending: Set<RequestId>;
  /** Answers held back while the exchange can still be answered with one JSON body. */
  held: JSONRPCMessage[];
  batch: boolean;
  streaming: boolean;
  openedAt: number;
}

// The SDK's limit on a JSON-RPC batch (batches were dropped from the spec in 2025-06-18).
const MAX_BATCH = 100;
const DEFAULT_KEEP_ALIVE_MS = 15_000;
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };

/**
 * The server side of Streamable HTTP for one MCP session, on Node's own request and response objects.
 * It replaces the SDK's transport, which converts every request to a web Request and streams every
 * answer through a web ReadableStream. A POST is answered with a plain JSON body when nothing but the
 * answer is sent during it, and turns into an SSE stream as soon as the session sends a notification or
 * request on it (progress, sampling) or it has been pending for a keep-alive interval. GET opens the
 * session's server-to-client stream, DELETE ends the session. Status codes as the SDK's transport:
 * 400 bad message or MCP-Protocol-Version, 404 closed session, 405, 406 Accept, 409 second GET stream, 415.
 */
export class SessionTransport implements Transport {
  sessionId?: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  private closed = false;
  private readonly exchanges = new Set<Exchange>();
  private readonly byRequest = new Map<RequestId, Exchange>();
  private standalone: ServerResponse | undefined;
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(private readonly options: SessionTransportOptions) {}

  async start(): Promise<void> {
    const interval = this.options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    this.keepAlive = setInterval(() => this.sendKeepAlive(interval), interval);
    this.keepAlive.unref();
  }

  /** Serves one HTTP request of this session; `body` is the parsed JSON body of a POST. */
  handleRequest(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    if (this.closed) return rpcError(res, 404, -32001, 'Session not found');
    switch (req.method) {
      case 'POST':
        return this.post(req, res, body);
      case 'GET':
        return this.get(req, res);
      case 'DELETE':
        return this.delete(req, res);
      default:
        res.setHeader('allow', 'GET, POST, DELETE');
        return rpcError(res, 405, -32000, 'Method not allowed.');
    }
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    // The session's own SDK server sends it: a message without a method is an answer (no need to validate it again).
    const answer = !('method' in message);
    const requestId = answer ? message.id : options?.relatedRequestId;
    if (requestId === undefined) {
      if (this.standalone) writeEvent(this.standalone, message);
      return;
    }
    const exchange = this.byRequest.get(requestId);
    if (!exchange) {
      // The client went away (or the request was answered): an answer has nowhere to go, a request must fail.
      if (answer) return;
      throw new Error(`no open stream for request ${String(requestId)}`);
    }
    if (!answer) {
      this.stream(exchange);
      writeEvent(exchange.res, message);
      return;
    }
    this.byRequest.delete(requestId);
    exchange.pending.delete(requestId);
    const done = exchange.pending.size === 0;
    if (exchange.streaming) {
      writeEvent(exchange.res, message, done);
    } else {
      exchange.held.push(message);
      if (done) this.answerJson(exchange);
    }
    if (done) this.exchanges.delete(exchange);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    // A stream simply ends; an answer not begun tells the client its session is gone, as any later request would.
    for (const exchange of this.exchanges) {
      if (exchange.streaming) exchange.res.end();
      else rpcError(exchange.res, 404, -32001, 'Session not found');
    }
    this.exchanges.clear();
    this.byRequest.clear();
    this.standalone?.end();
    this.standalone = undefined;
    this.onclose?.();
  }

  private post(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return rpcError(res, 406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return rpcError(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
    }
    if (Array.isArray(body) && body.length > MAX_BATCH) return rpcError(res, 400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`);
    const parsed = (Array.isArray(body) ? body : [body]).map((item) => JSONRPCMessageSchema.safeParse(item));
    if (parsed.some((result) => !result.success)) return rpcError(res, 400, -32700, 'Parse error: Invalid JSON-RPC message');
    const messages = parsed.map((result) => result.data as JSONRPCMessage);
    // Messages are validated JSON-RPC by now; only an `initialize` is checked against its own schema.
    const initializing = messages.some((message) => 'method' in message && message.method === 'initialize' && isInitializeRequest(message));
    if (initializing) {
      if (this.sessionId !== undefined) return rpcError(res, 400, -32600, 'Invalid Request: Server already initialized');
      if (messages.length > 1) return rpcError(res, 400, -32600, 'Invalid Request: Only one initialization request is allowed');
      this.sessionId = this.options.newSessionId();
      this.options.onSessionInitialized(this.sessionId);
    } else {
      const refused = this.sessionError(req);
      if (refused) return rpcError(res, refused.status, refused.code, refused.message);
    }
    const extra: MessageExtraInfo = { requestInfo: { headers: req.headers } };
    const requests = messages.filter((message): message is JSONRPCRequest => 'method' in message && 'id' in message);
    if (requests.length === 0) {
      res.writeHead(202).end();
      for (const message of messages) this.onmessage?.(message, extra);
      return;
    }
    const exchange: Exchange = { res, pending: new Set(), held: [], batch: Array.isArray(body), streaming: false, openedAt: Date.now() };
    for (const request of requests) {
      exchange.pending.add(request.id);
      this.byRequest.set(request.id, exchange);
    }
    this.exchanges.add(exchange);
    res.once('close', () => this.forget(exchange));
    for (const message of messages) this.onmessage?.(message, extra);
  }

  private get(req: IncomingMessage, res: ServerResponse): void {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) return rpcError(res, 406, -32000, 'Not Acceptable: Client must accept text/event-stream');
    const refused = this.sessionError(req);
    if (refused) return rpcError(res, refused.status, refused.code, refused.message);
    if (this.standalone) return rpcError(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
    res.writeHead(200, this.headers(SSE_HEADERS));
    res.flushHeaders();
    this.standalone = res;
    res.once('close', () => {
      if (this.standalone === res) this.standalone = undefined;
    });
  }

  private delete(req: IncomingMessage, res: ServerResponse): void {
    const refused = this.sessionError(req);
    if (refused) return rpcError(res, refused.status, refused.code, refused.message);
    this.options.onSessionClosed(this.sessionId as string);
    res.writeHead(200).end();
    void this.close();
  }

  /** Why a request of an initialized session is refused: no session yet, another session's id, an unsupported protocol version. */
  private sessionError(req: IncomingMessage): { status: number; code: number; message: string } | undefined {
    if (this.sessionId === undefined) return { status: 400, code: -32000, message: 'Bad Request: Server not initialized' };
    const id = req.headers['mcp-session-id'];
    if (id === undefined) return { status: 400, code: -32000, message: 'Bad Request: Mcp-Session-Id header is required' };
    if (id !== this.sessionId) return { status: 404, code: -32001, message: 'Session not found' };
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return { status: 400, code: -32000, message: `Bad Request: Unsupported protocol version: ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})` };
    }
    return undefined;
  }

  private headers(base: Record<string, string>): Record<string, string> {
    return this.sessionId === undefined ? base : { ...base, 'mcp-session-id': this.sessionId };
  }

  /** Turns a pending exchange into an SSE stream; answers held so far go first. */
  private stream(exchange: Exchange): void {
    if (exchange.streaming) return;
    exchange.streaming = true;
    exchange.res.writeHead(200, this.headers(SSE_HEADERS));
    for (const message of exchange.held) writeEvent(exchange.res, message);
    exchange.held = [];
  }

  private answerJson(exchange: Exchange): void {
    const body = JSON.stringify(exchange.batch ? exchange.held : exchange.held[0]);
    exchange.res.writeHead(200, this.headers({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })).end(body);
  }

  /** The client closed the connection of an exchange: answers still to come have nowhere to go. */
  private forget(exchange: Exchange): void {
    if (!this.exchanges.delete(exchange)) return;
    for (const id of exchange.pending) if (this.byRequest.get(id) === exchange) this.byRequest.delete(id);
  }

  private sendKeepAlive(interval: number): void {
    const now = Date.now();
    for (const exchange of this.exchanges) {
      if (now - exchange.openedAt < interval) continue;
      this.stream(exchange);
      exchange.res.write(': keepalive\n\n');
    }
    this.standalone?.write(': keepalive\n\n');
  }
}

/** One SSE event; the last one of an exchange ends the response in the same write. */
function writeEvent(res: ServerResponse, message: JSONRPCMessage, last = false): void {
  const event = `event: message\ndata: ${JSON.stringify(message)}\n\n`;
  if (last) res.end(event);
  else res.write(event);
}

function rpcError(res: ServerResponse, status: number, code: number, message: string): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}
