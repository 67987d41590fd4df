import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { errorBody } from '../../common';

/**
 * The built single-page console (hash routing, so `index.html` is the only page). Assets carry content
 * hashes in their names and are cached for a year; `index.html` is revalidated every time. When the
 * console was not built, `/console/` says how to build it instead of failing with a bare 404.
 */
export function consoleAssets(assetsDir: string): Router {
  const router = Router();
  const index = path.join(assetsDir, 'index.html');
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.get('/', (req, res) => {
    if (!req.originalUrl.split('?')[0].endsWith('/')) return res.redirect(301, `${req.baseUrl}/`);
    if (!fs.existsSync(index)) {
      res.status(503).type('text/plain').send('The console is not built: run `npm run build` (it writes dist/console).\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.sendFile(index);
  });
  router.use(
    '/assets',
    express.static(path.join(assetsDir, 'assets'), { immutable: true, maxAge: '365d', index: false }),
    (req: Request, res: Response) => {
      res.status(404).json(errorBody('not_found', `no console asset ${req.path}`));
    },
  );
  return router;
}

/** Everything the console loads comes from the PDP itself: no CDN, no inline script. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');
