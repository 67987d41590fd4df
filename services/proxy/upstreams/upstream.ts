import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ErrorCode,
  McpError,
  ResultSchema,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type Notification,
  type Result,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../common';
import type { UpstreamConfig } from '../config/servers-file';
import type { Caller } from '../enforcement/caller';
import { relayedError, timeoutError, upstreamUnavailableError } from '../mcp/proxy-errors';
import { createUpstreamTransport, type UpstreamTransport } from './upstream-transport';

export type UpstreamState = 'connecting' | 'ready' | 'down' | 'closed';

/** Who caused an upstream request: server-to-client requests arriving meanwhile are relayed to them. */
export interface RequestOrigin {
  caller: Caller;
  /** Sends a notification to the downstream client on the same stream. */
  notify(notification: Notification): void;
  relay(method: string, params: Record<string, unknown> | undefined, signal: AbortSignal): Promise<Result>;
}

/**
 * Whose client a server-to-client message of this shared upstream is for: the client request it came with,
 * or why it is no one's. `outside`: it came with a request that is no client's (one the proxy made itself)
 * or no longer waits; `none`: no client request waits on the upstream; `ambiguous`: the transport cannot
 * tell (stdio, legacy SSE, or Streamable HTTP's GET stream) and requests of several sessions wait. Where the
 * transport cannot tell and one session's requests wait, the message is taken to be that session's.
 */
export type Attribution = { origin: RequestOrigin; unattributed?: undefined } | { origin?: undefined; unattributed: 'outside' | 'none' | 'ambiguous' };

export interface UpstreamEvents {
  /** A server-to-client request (sampling, elicitation, roots) with the downstream request it belongs to. */
  onServerRequest(upstream: Upstream, request: JSONRPCRequest, attribution: Attribution, signal: AbortSignal): Promise<Result>;
  onNotification(upstream: Upstream, notification: Notification, attribution: Attribution): void;
  onStateChange(upstream: Upstream, state: UpstreamState): void;
}

export interface UpstreamOptions {
  name: string;
  config: UpstreamConfig;
  baseDir: string;
  logger: Logger;
  events: UpstreamEvents;
  requestTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number };
}

export interface ForwardOptions {
  signal?: AbortSignal;
  onprogress?: RequestOptions['onprogress'];
  origin?: RequestOrigin;
}

export interface Upstream {
  readonly name: string;
  state(): UpstreamState;
  capabilities(): ServerCapabilities | undefined;
  serverInfo(): { name: string; version: string } | undefined;
  instructions(): string | undefined;
  /** Sends a request upstream; proxy errors (-32001 unavailable, -32004 timeout) replace transport failures. */
  request(method: string, params: Record<string, unknown> | undefined, options?: ForwardOptions): Promise<Result>;
  notify(notification: Notification): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

// Starting a server (npx, a cold interpreter) can take longer than any single request should.
const CONNECT_TIMEOUT_MS = 30_000;
const CLIENT_INFO = { name: 'mcp-authz-proxy', version: '0.1.0' };

/**
 * One upstream MCP server behind an SDK client, shared by every downstream session. When the connection
 * drops (a stdio server exits, an HTTP server goes away) it reconnects with exponential backoff.
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const { name, logger } = options;
  let client: Client | undefined;
  let current: UpstreamState = 'connecting';
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let connecting: Promise<void> | undefined;
  // Client requests waiting on this upstream, oldest first, by the key their upstream request was sent with.
  const waiting = new Map<number, RequestOrigin>();
  let nextKey = 0;

  const upstream: Upstream = {
    name,
    state: () => current,
    capabilities: () => client?.getServerCapabilities(),
    serverInfo: () => client?.getServerVersion(),
    instructions: () => client?.getInstructions(),
    request,
    async notify(notification) {
      if (current === 'ready' && client) await client.notification(notification as Parameters<Client['notification']>[0]);
    },
    start: () => connect(),
    async close() {
      setState('closed');
      clearTimeout(retryTimer);
      const closing = client;
      client = undefined;
      await closing?.close().catch(() => undefined);
    },
  };

  function setState(state: UpstreamState): void {
    if (current === state || current === 'closed') return;
    current = state;
    options.events.onStateChange(upstream, state);
  }

  function connect(): Promise<void> {
    connecting ??= (async () => {
      const candidate = new Client(CLIENT_INFO, { capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } } });
      const transport = createUpstreamTransport(name, options.config, options.baseDir, logger);
      // The SDK hands the handlers the very message objects the transport delivered.
      candidate.fallbackRequestHandler = (request, extra) => options.events.onServerRequest(upstream, request, attribute(request, transport), extra.signal);
      candidate.fallbackNotificationHandler = async (notification) =>
        options.events.onNotification(upstream, notification, attribute(notification as JSONRPCMessage, transport));
      candidate.onerror = (error) => logger.debug({ upstream: name, err: error }, 'upstream transport error');
      try {
        await candidate.connect(transport, { timeout: Math.max(options.requestTimeoutMs, CONNECT_TIMEOUT_MS) });
      } catch (error) {
        logger.warn({ upstream: name, err: error }, 'upstream connection failed');
        await candidate.close().catch(() => undefined);
        scheduleReconnect();
        return;
      }
      if (current === 'closed') {
        await candidate.close().catch(() => undefined);
        return;
      }
      candidate.onclose = () => {
        if (client !== candidate) return;
        client = undefined;
        logger.warn({ upstream: name }, 'upstream connection closed');
        scheduleReconnect();
      };
      client = candidate;
      attempt = 0;
      logger.info({ upstream: name, server: candidate.getServerVersion() }, 'upstream initialized');
      setState('ready');
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  function scheduleReconnect(): void {
    if (current === 'closed') return;
    setState('down');
    const delay = Math.min(options.backoff.maxMs, options.backoff.initialMs * 2 ** attempt);
    attempt += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect(), delay);
    retryTimer.unref();
  }

  function attribute(message: JSONRPCMessage, transport: UpstreamTransport): Attribution {
    const related = transport.relatedRequestOf?.(message);
    if (related !== undefined) {
      const origin = related === null ? undefined : waiting.get(Number(related));
      return origin ? { origin } : { unattributed: 'outside' };
    }
    const origins = [...waiting.values()];
    if (origins.length === 0) return { unattributed: 'none' };
    const sessions = new Set(origins.map((origin) => origin.caller.sessionId ?? origin.caller));
    return sessions.size === 1 ? { origin: origins[origins.length - 1] } : { unattributed: 'ambiguous' };
  }

  /** Registers a client request as waiting on this upstream. */
  function registerWaiting(origin: RequestOrigin): number {
    const key = nextKey++;
    waiting.set(key, origin);
    return key;
  }

  async function request(method: string, params: Record<string, unknown> | undefined, forward: ForwardOptions = {}): Promise<Result> {
    const active = client;
    if (current !== 'ready' || !active) throw upstreamUnavailableError(name);
    // The key goes with the upstream request as its related request, so the transport can name it again
    // for what the server sends on that request's stream.
    const key = forward.origin ? registerWaiting(forward.origin) : undefined;
    try {
      return await active.request({ method, params } as Parameters<Client['request']>[0], ResultSchema, {
        relatedRequestId: key,
        signal: forward.signal,
        onprogress: forward.onprogress,
        timeout: options.requestTimeoutMs,
        resetTimeoutOnProgress: forward.onprogress !== undefined,
      });
    } catch (error) {
      throw translateError(error);
    } finally {
      if (key !== undefined) waiting.delete(key);
    }
  }

  function translateError(error: unknown): unknown {
    if (!(error instanceof McpError)) return upstreamUnavailableError(name);
    const data = error.data as { timeout?: unknown } | undefined;
    if (error.code === ErrorCode.RequestTimeout && data?.timeout !== undefined) return timeoutError(name);
    if (error.code === ErrorCode.ConnectionClosed) return upstreamUnavailableError(name);
    return relayedError(error);
  }

  return upstream;
}
