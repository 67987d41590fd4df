import type { ErrorDetail } from '../contracts/error-body';

/** An error that becomes a JSON error response with its own status and code. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ErrorDetail[] = [],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export function badRequest(message: string, details: ErrorDetail[] = []): HttpError {
  return new HttpError(400, 'bad_request', message, details);
}

export function unauthorized(message: string): HttpError {
  return new HttpError(401, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer' });
}

export function forbidden(message: string): HttpError {
  return new HttpError(403, 'forbidden', message);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'not_found', message);
}

export function serviceUnavailable(message: string): HttpError {
  return new HttpError(503, 'unavailable', message);
}
