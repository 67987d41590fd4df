import type { RequestHandler } from 'express';
import { errorBody } from '../../common';
import type { BundleSource } from '../bundles/bundle-source';

/**
 * `GET /health?bundles`, as OPA answers it: 200 once a bundle is active, 500 until then (or when none
 * could be loaded). Without `?bundles` the request goes on to the common liveness check.
 */
export function bundleHealthHandler(bundles: BundleSource, startedAt: number = Date.now()): RequestHandler {
  return (req, res, next) => {
    if (req.query.bundles === undefined) {
      next();
      return;
    }
    const status = bundles.status();
    const bundle = {
      source: status.source,
      active_revision: status.activeRevision,
      activated_at: status.activatedAt?.toISOString() ?? null,
      last_error: status.lastError ? { message: status.lastError.message, at: status.lastError.at.toISOString() } : null,
    };
    if (status.activeRevision === null) {
      const detail = status.lastError ? [{ path: 'bundle', message: status.lastError.message }] : [];
      res.status(500).json({ ...errorBody('bundle_not_activated', 'no policy bundle has been activated', detail), bundle });
      return;
    }
    res.json({ status: 'ok', service: 'pdp', uptime_s: (Date.now() - startedAt) / 1000, bundle });
  };
}
