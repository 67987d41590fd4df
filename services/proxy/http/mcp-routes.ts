import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Router } from 'express';
import type { Logger } from '../../common';
import type { Caller } from '../enforcement/caller';
import type { Identity } from '../identity/identity';
import { wwwAuthenticate } from '../identity/protected-resource-metadata';
import type { Dispatcher, SessionView } from '../mcp/request-dispatcher';
import { PROXY_ERROR } from '../mcp/proxy-errors';
import { AGGREGATE_CAPABILITIES, createSessionServer, PROXY_INFO } from '../mcp/session-server';
import type { UpstreamPool } from '../upstreams/upstream-pool';
import type { OriginPolicy } from './origin-policy';
import type { SessionRegistry } from './session-registry';
import { SessionTransport } from './session-transport';

export interface McpRoutesDeps {
  dispatcher: Dispatcher;
  pool: UpstreamPool;
  identity: Identity;
  sessions: SessionRegistry;
  origins: OriginPolicy;
  /** URL of the RFC 9728 metadata, named in 401 answers. */
  resourceMetadataUrl: string;
  logger: Logger;
}

const SESSION_HEADER = 'mcp-session-id';
const CORS_ALLOWED_HEADERS = 'content-type, authorization, x-api-key, mcp-session-id, mcp-protocol-version, last-event-id';
const CORS_EXPOSED_HEADERS = 'mcp-session-id, mcp-protocol-version, www-authenticate';

/** Serves one request to `/mcp` (server undefined) or `/mcp/{server}`; `body` is the parsed JSON body of a POST. Never rejects. */
export type McpHandler = (req: IncomingMessage, res: ServerResponse, server: string | undefined, body: unknown) => Promise<void>;

/** The MCP paths as express routes, for the requests `mcp-listener.ts` leaves to express (other body encodings, OPTIONS, unusual paths). */
export function mcpRouter(handle: McpHandler): Router {
  const router = Router();
  router.all('/mcp', (req, res) => void handle(req, res, undefined, req.body));
  router.all('/mcp/:server', (req, res) => void handle(req, res, String(req.params.server), req.body));
  return router;
}

/**
 * The client side of the proxy: Streamable HTTP on `/mcp` (every upstream, names prefixed) and
 * `/mcp/{server}` (one upstream, original names). Order of checks: Origin (403), identity (401),
 * session (404 when unknown, expired or someone else's), then the session's transport (which answers
 * 400 for an unsupported MCP-Protocol-Version).
 */
export function createMcpHandler(deps: McpRoutesDeps): McpHandler {
  return serve;

  async function serve(req: IncomingMessage, res: ServerResponse, server: string | undefined, body: unknown): Promise<void> {
    try {
      await answer(req, res, server, body);
    } catch (error) {
      deps.logger.error({ err: error }, 'MCP request failed');
      if (!res.headersSent) rpcError(res, 500, -32603, 'internal error');
    }
  }

  async function answer(req: IncomingMessage, res: ServerResponse, server: string | undefined, body: unknown): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!deps.origins.allows(origin)) return rpcError(res, 403, -32600, 'origin not allowed');
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS);
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader('access-control-allow-headers', CORS_ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', '600');
      res.writeHead(204).end();
      return;
    }
    const identified = await deps.identity.identify(req);
    if (!identified.ok) {
      res.setHeader('www-authenticate', wwwAuthenticate(deps.resourceMetadataUrl, 'invalid_token'));
      return rpcError(res, 401, PROXY_ERROR.unauthenticated, identified.message);
    }
    if (server !== undefined && !deps.pool.get(server)) return rpcError(res, 404, PROXY_ERROR.notFound, `no upstream server named ${server}`);
    const route = server ?? '*';
    const sessionId = req.headers[SESSION_HEADER];
    if (typeof sessionId === 'string') {
      const session = deps.sessions.touch(sessionId);
      if (!session || session.route !== route || !samePrincipal(session.view.caller, identified.caller)) {
        return rpcError(res, 404, PROXY_ERROR.notFound, 'session not found or expired');
      }
      const done = deps.sessions.track(session);
      res.once('close', done);
      session.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return rpcError(res, 400, -32600, 'missing Mcp-Session-Id: send initialize first');
    }
    await openSession(req, res, body, route, server, identified.caller);
  }

  async function openSession(req: IncomingMessage, res: ServerResponse, body: unknown, route: string, server: string | undefined, caller: Caller): Promise<void> {
    const upstream = server === undefined ? undefined : deps.pool.get(server);
    const capabilities = upstream?.capabilities() ?? AGGREGATE_CAPABILITIES;
    const view: SessionView = {
      caller: { ...caller },
      servers: server === undefined ? deps.pool.names() : [server],
      aggregate: server === undefined,
      subscriptions: new Set(),
      notify: (notification) => void mcpServer.notification(notification as Parameters<Server['notification']>[0]).catch(() => undefined),
    };
    const mcpServer = createSessionServer(view, deps.dispatcher, upstream?.serverInfo() ?? PROXY_INFO, capabilities, upstream?.instructions());
    const transport: SessionTransport = new SessionTransport({
      newSessionId: () => randomBytes(32).toString('base64url'),
      onSessionInitialized: (id) => {
        view.caller.sessionId = id;
        deps.sessions.add({ id, route, view, server: mcpServer, transport, lastSeen: Date.now(), inFlight: 0 });
      },
      onSessionClosed: (id) => deps.sessions.remove(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) deps.sessions.remove(transport.sessionId);
    };
    await mcpServer.connect(transport);
    transport.handleRequest(req, res, body);
  }
}

function samePrincipal(a: Caller, b: Caller): boolean {
  return a.principal.id === b.principal.id && a.principal.type === b.principal.type && a.principal.tenant === b.principal.tenant;
}

function rpcError(res: ServerResponse, status: number, code: number, message: string): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}
