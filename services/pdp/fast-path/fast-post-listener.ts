import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parse as parseQuery } from 'node:querystring';
import type { Request, RequestHandler, Response } from 'express';
import {
  HttpError,
  httpMetricsRecorder,
  logPlainRequest,
  oldestKeyOf,
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
import type { Caller, EndpointCall, PostRoute } from '../endpoints/json-endpoint';
import { serverTiming } from '../routes/post-routes';
import { postRouteTable, type MatchedRoute } from './post-route-table';

export interface FastPathDeps {
  routes: readonly PostRoute[];
  logger: Logger;
  /** The service's registry, which holds the common app's HTTP metrics. */
  registry: Registry;
  authenticate?: RequestHandler;
  maxBodyBytes: number;
}

/**
 * The decision endpoints without express: express's routing and middleware cost several times the
 * policy evaluation itself. Plain JSON POSTs to a known path are answered here with the common app's
 * behaviour (request ids, API keys, body limit, JSON errors, HTTP metrics, access log); every other
 * request (other methods and paths, encoded or non-JSON bodies) goes to `fallback`, the express app.
 */
export function fastPostListener(deps: FastPathDeps, fallback: RequestListener): RequestListener {
  const match = postRouteTable(deps.routes);
  const metrics = httpMetricsRecorder(deps.registry);
  const segments = pathSegments();
  return (req, res) => {
    // JSON in UTF-8 without content encoding is what this path parses; anything else is express's.
    if (req.method !== 'POST' || !plainJsonRequest(req)) return fallback(req, res);
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const route = match(queryAt < 0 ? url : url.slice(0, queryAt));
    if (route === undefined) return fallback(req, res);
    void serve(deps, metrics, segments, req, res, route, queryAt < 0 ? '' : url.slice(queryAt + 1));
  };
}

async function serve(deps: FastPathDeps, metrics: HttpMetricsRecorder, segments: (rest: string | undefined) => readonly string[], req: IncomingMessage, res: ServerResponse, route: MatchedRoute, query: string): Promise<void> {
  const started = performance.now();
  const requestId = requestIdFor(req);
  let status: number;
  try {
    const caller = authenticate(deps, req, res, requestId);
    const text = await readBodyText(req, deps.maxBodyBytes);
    const reply = await route.endpoint(new FastEndpointCall(caller, text, query ? parseQuery(query) : {}, segments(route.rest)));
    status = reply.status ?? 200;
    send(res, status, requestId, reply.body, reply.decisionMs === undefined ? undefined : serverTiming(reply.decisionMs));
  } catch (error) {
    status = sendPlainError(req, res, deps.logger, requestId, error, route.failureBody);
  }
  const seconds = (performance.now() - started) / 1000;
  metrics.observe('POST', route.pattern, status, seconds);
  logPlainRequest(deps.logger, requestId, 'POST', req.url, status, seconds);
}

/**
 * The body is parsed when the endpoint first reads it (invalid JSON throws the 400 there): an endpoint
 * that has already prepared this very text (see `preparedRequests`) does not parse it again. A class,
 * so the getter lives on the prototype rather than being defined on every call's object.
 */
class FastEndpointCall implements EndpointCall {
  private parsed: { value: unknown } | undefined;

  constructor(
    readonly caller: Caller,
    readonly rawBody: string,
    readonly query: Record<string, unknown>,
    readonly path: readonly string[],
  ) {}

  get body(): unknown {
    this.parsed ??= { value: parseJsonBody(this.rawBody) };
    return this.parsed.value;
  }
}

/** The common API-key middleware, run on the raw request; throws HttpError(401) like it does under express. */
function authenticate(deps: FastPathDeps, req: IncomingMessage, res: ServerResponse, requestId: string) {
  const caller = req as IncomingMessage & { requestId: string; log: Logger; apiKey?: Request['apiKey'] };
  caller.requestId = requestId;
  if (deps.authenticate) {
    caller.log = deps.logger;
    deps.authenticate(caller as unknown as Request, res as unknown as Response, () => undefined);
  }
  return { requestId, apiKey: caller.apiKey };
}

/** All headers in one flat list: with none set before, node writes them without building a header map. */
function send(res: ServerResponse, status: number, requestId: string, body: unknown, timing: string | undefined): void {
  const text = JSON.stringify(body);
  const headers = ['content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(text)), REQUEST_ID_HEADER, requestId];
  if (timing !== undefined) headers.push('server-timing', timing);
  res.writeHead(status, headers);
  res.end(text);
}

/** The decoded segments of a path, remembered per path text: callers ask about a handful of documents. */
function pathSegments(): (rest: string | undefined) => readonly string[] {
  const remembered = new Map<string, readonly string[]>();
  const oldest = oldestKeyOf(remembered);
  return (rest) => {
    if (rest === undefined) return [];
    let segments = remembered.get(rest);
    if (segments === undefined) {
      segments = Object.freeze(segmentsOf(rest));
      if (remembered.size >= REMEMBERED_PATHS) remembered.delete(oldest() as string);
      remembered.set(rest, segments);
    }
    return segments;
  };
}

const REMEMBERED_PATHS = 1000;

function segmentsOf(rest: string): string[] {
  return rest
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new HttpError(400, 'invalid_request', 'invalid path', [{ path: 'path', message: `cannot decode ${segment}` }]);
      }
    });
}
