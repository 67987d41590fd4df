import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { ErrorBody } from '../contracts/error-body';
import { z } from 'zod';
import { errorBody } from './error-body';
import { HttpError } from './http-error';
import { validationDetails } from './validation-details';
import './request-context';

/** Errors raised by express's body parser carry a `type` and a status. */
interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string';
}

/** http-errors' client errors without a `type`, such as a body whose gzip stream is corrupt. */
function isExposedClientError(error: unknown): error is { status: number } {
  const { status, expose } = (error ?? {}) as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

/** Turns an error into a status and JSON error body; unknown errors become 500 without their message. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof z.ZodError) return new HttpError(400, 'invalid_request', 'invalid request', validationDetails(error));
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.too.large':
        return new HttpError(413, 'payload_too_large', `request body exceeds the limit of ${error.limit ?? 'the configured'} bytes`);
      case 'entity.parse.failed':
        return new HttpError(400, 'invalid_json', 'request body is not valid JSON');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new HttpError(415, 'unsupported_encoding', 'request body encoding is not supported');
      case 'request.aborted':
        return new HttpError(400, 'request_aborted', 'request was aborted by the client');
    }
  }
  if (isExposedClientError(error)) return new HttpError(error.status, 'unreadable_body', 'request body could not be read or decoded');
  return new HttpError(500, 'internal', 'internal error');
}

/** The body to send for a failed request, given the common error body. */
export type ErrorBodyFor = (req: Request, body: ErrorBody) => unknown;

export function errorHandler(bodyFor: ErrorBodyFor = (_req, body) => body): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const failure = toHttpError(error);
    if (failure.status >= 500) req.log.error({ err: error }, 'request failed');
    for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
    res.status(failure.status).json(bodyFor(req, errorBody(failure.code, failure.message, failure.details)));
  };
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404).json(errorBody('not_found', `no route for ${req.method} ${req.path}`));
  };
}
