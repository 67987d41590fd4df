import type { ErrorBody, ErrorDetail } from '../contracts/error-body';

export function errorBody(code: string, message: string, details: ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details } };
}
