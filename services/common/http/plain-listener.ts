import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ErrorBody } from '../contracts/error-body';
import { errorBody } from './error-body';
import { toHttpError } from './error-handler';
import { acceptableRequestId, REQUEST_ID_HEADER } from './request-id';

/*
 * The common app's behaviour for the hot paths that answer on node:http without express (the PDP's
 * decision endpoints, the proxy's /mcp): one request id, one access-log line, one error form.
 */

/** The caller's `x-request-id` when acceptable, otherwise a new one, as `requestIdMiddleware` takes it. */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return acceptableRequestId(incoming) ? incoming : randomUUID();
}

/** Successes at debug so a busy service does not spend its time writing logs; client errors at info, server errors at warn. */
export function accessLogLevel(status: number): 'debug' | 'info' | 'warn' {
  return status >= 500 ? 'warn' : status >= 400 ? 'info' : 'debug';
}

/** The access-log line `accessLogMiddleware` writes, for a request served outside express. */
export function logPlainRequest(logger: Logger, requestId: string, method: string, path: string | undefined, status: number, seconds: number): void {
  const level = accessLogLevel(status);
  if (logger.isLevelEnabled(level)) {
    logger[level]({ request_id: requestId, method, path, status, duration_ms: Math.round(seconds * 1e6) / 1000 }, 'request');
  }
}

/**
 * Answers a failed request as the common error handler would (status, headers, JSON error body,
 * optionally in another dialect's form) and returns the status. A body left unread means the
 * connection cannot carry another request, so it is closed.
 */
export function sendPlainError(
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
  requestId: string,
  error: unknown,
  bodyFor: (body: ErrorBody) => unknown = (body) => body,
): number {
  const failure = toHttpError(error);
  if (failure.status >= 500) logger.error({ err: error, request_id: requestId }, 'request failed');
  if (!req.complete) {
    res.setHeader('connection', 'close');
    req.resume();
  }
  for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
  const text = JSON.stringify(bodyFor(errorBody(failure.code, failure.message, failure.details)));
  res.setHeader(REQUEST_ID_HEADER, requestId);
  res.writeHead(failure.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) }).end(text);
  return failure.status;
}
