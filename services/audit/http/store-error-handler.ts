import type { ErrorRequestHandler } from 'express';
import { HttpError } from '../../common';
import { classifyStoreError, StoreRejectedDataError, StoreUnavailableError } from '../store/store-errors';

/** Database failures as HTTP errors: the database being down is a 503 (retry later), not a 500. */
export function storeErrorHandler(): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const classified = classifyStoreError(error);
    if (classified instanceof StoreUnavailableError) {
      req.log.error({ err: error }, 'audit database unavailable');
      next(new HttpError(503, 'database_unavailable', 'the audit database is unavailable; retry later', [], { 'Retry-After': '1' }));
    } else if (classified instanceof StoreRejectedDataError) {
      next(new HttpError(400, 'invalid_request', classified.message));
    } else {
      next(error);
    }
  };
}
