import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

// Caller-supplied ids end up in logs and audit records: accept only short, printable tokens.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

export function acceptableRequestId(value: unknown): value is string {
  return typeof value === 'string' && ACCEPTABLE_REQUEST_ID.test(value);
}

/** Takes the caller's `x-request-id` (or makes one), echoes it on the response and binds it to `req.log`. */
export function requestIdMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    req.requestId = acceptableRequestId(incoming) ? incoming : randomUUID();
    req.log = logger.child({ request_id: req.requestId });
    res.setHeader(REQUEST_ID_HEADER, req.requestId);
    next();
  };
}

/** Headers for a call to another service on behalf of a request, so one id follows the whole path. */
export function propagatedHeaders(requestId: string, headers: Record<string, string> = {}): Record<string, string> {
  return { ...headers, [REQUEST_ID_HEADER]: requestId };
}
