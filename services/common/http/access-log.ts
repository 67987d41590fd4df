import type { RequestHandler } from 'express';
import { accessLogLevel } from './plain-listener';
import './request-context';

/** One line per finished request, at `accessLogLevel`. */
export function accessLogMiddleware(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      req.log[accessLogLevel(res.statusCode)](
        { method: req.method, path: req.path, status: res.statusCode, duration_ms: Math.round(durationMs * 1000) / 1000 },
        'request',
      );
    });
    next();
  };
}
