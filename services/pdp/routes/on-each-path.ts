import type { RequestHandler, Router } from 'express';

/**
 * Registers one handler per path (not one route for an array of paths), so `req.route.path` is a
 * string and the HTTP metrics label each alias by its own pattern.
 */
export function onEachPath(router: Router, method: 'get' | 'post', paths: readonly string[], handler: RequestHandler): void {
  for (const path of paths) router[method](path, handler);
}
