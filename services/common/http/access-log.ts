import type { RequestHandler } from 'express';
import './request-context';

/**
 * One line per finished request. Successes log at debug so a busy PDP does not spend its time
 * writing logs; client errors at info and server errors at warn.
 */
export function accessLogMiddleware(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'warn' : res.statusCode >= 400 ? 'info' : 'debug';
      req.log[level](
        { method: req.method, path: req.path, status: res.statusCode, duration_ms: Math.round(durationMs * 1000) / 1000 },
        'request',
      );
    });
    next();
  };
}
