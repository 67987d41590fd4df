import type { z } from 'zod';
import type { ErrorDetail } from '../contracts/error-body';
import { HttpError } from './http-error';

/** zod issues as error details, with paths like `input.tool.name` or `events.3.event_id`. */
export function validationDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Parses a request part or throws a 400 `invalid_request` whose details name every invalid field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, 'invalid_request', `invalid ${what}`, validationDetails(result.error));
  return result.data;
}
