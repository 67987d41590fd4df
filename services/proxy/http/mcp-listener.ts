import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  acceptableRequestId,
  errorBody,
  httpMetricsRecorder,
  parseJsonBody,
  plainJsonRequest,
  readBodyText,
  REQUEST_ID_HEADER,
  toHttpError,
  type HttpMetricsRecorder,
  type Logger,
  type Registry,
} from '../../common';
import type { McpHandler } from './mcp-routes';

export interface McpListenerDeps {
  handle: McpHandler;
  logger: Logger;
  /** The registry the common app registered `http_requests_total` and `http_request_duration_seconds` in. */
  registry: Registry;
  maxBodyBytes: number;
}

// Server names are letters, digits, `_` and `-` (servers-file.ts), so the path needs no decoding.
const MCP_PATH = /^\/mcp(?:\/([A-Za-z0-9_-]+))?$/;

/**
 * `/mcp` and `/mcp/{server}` without express: its router, body parser and per-request logger cost
 * the proxy more CPU per call than its own enforcement path. POSTs with a plain JSON body, GETs and
 * DELETEs of those paths are served here with the common app's behaviour (request id echoed, body
 * limit with the same JSON errors, HTTP metrics under the same route labels, access log); everything
 * else (other paths, methods and body encodings) goes to `fallback`, the express app, which serves the
 * MCP paths with the same handler.
 */
export function mcpListener(deps: McpListenerDeps, fallback: RequestListener): RequestListener {
  const metrics = httpMetricsRecorder(deps.registry);
  return (req, res) => {
    const method = req.method;
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') return fallback(req, res);
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const match = MCP_PATH.exec(path);
    if (match === null || (method === 'POST' && !plainJsonRequest(req))) return fallback(req, res);
    void serve(deps, metrics, req, res, method, path, match[1]);
  };
}

async function serve(deps: McpListenerDeps, metrics: HttpMetricsRecorder, req: IncomingMessage, res: ServerResponse, method: string, path: string, server: string | undefined): Promise<void> {
  const started = performance.now();
  const incoming = req.headers[REQUEST_ID_HEADER];
  const requestId = acceptableRequestId(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.once('finish', () => {
    const seconds = (performance.now() - started) / 1000;
    const status = res.statusCode;
    metrics.observe(method, server === undefined ? '/mcp' : '/mcp/:server', status, seconds);
    const level = status >= 500 ? 'warn' : status >= 400 ? 'info' : 'debug';
    if (deps.logger.isLevelEnabled(level)) {
      deps.logger[level]({ request_id: requestId, method, path, status, duration_ms: Math.round(seconds * 1e6) / 1000 }, 'request');
    }
  });
  let body: unknown;
  if (method === 'POST') {
    try {
      body = parseJsonBody(await readBodyText(req, deps.maxBodyBytes));
    } catch (error) {
      refuseBody(deps, req, res, requestId, error);
      return;
    }
  }
  await deps.handle(req, res, server, body);
}

/** A body too large, unreadable or not JSON: the common app's JSON error, as its error handler writes it. */
function refuseBody(deps: McpListenerDeps, req: IncomingMessage, res: ServerResponse, requestId: string, error: unknown): void {
  const failure = toHttpError(error);
  if (failure.status >= 500) deps.logger.error({ err: error, request_id: requestId }, 'request failed');
  if (!req.complete) {
    // The rest of the body is not read: the connection cannot carry another request.
    res.setHeader('connection', 'close');
    req.resume();
  }
  for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
  const text = JSON.stringify(errorBody(failure.code, failure.message, failure.details));
  res.writeHead(failure.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}
