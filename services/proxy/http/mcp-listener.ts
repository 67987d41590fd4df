import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  httpMetricsRecorder,
  logPlainRequest,
  parseJsonBody,
  plainJsonRequest,
  readBodyText,
  REQUEST_ID_HEADER,
  requestIdFor,
  sendPlainError,
  type HttpMetricsRecorder,
  type Logger,
  type Registry,
} from '../../common';
import type { McpHandler } from './mcp-routes';

export interface McpListenerDeps {
  handle: McpHandler;
  logger: Logger;
  /** The service's registry, which holds the common app's HTTP metrics. */
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
  const requestId = requestIdFor(req);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.once('finish', () => {
    const seconds = (performance.now() - started) / 1000;
    metrics.observe(method, server === undefined ? '/mcp' : '/mcp/:server', res.statusCode, seconds);
    logPlainRequest(deps.logger, requestId, method, path, res.statusCode, seconds);
  });
  let body: unknown;
  if (method === 'POST') {
    try {
      body = parseJsonBody(await readBodyText(req, deps.maxBodyBytes));
    } catch (error) {
      sendPlainError(req, res, deps.logger, requestId, error);
      return;
    }
  }
  await deps.handle(req, res, server, body);
}
