import { Router, type Response } from 'express';
import type { ErrorBodyFor } from '../../common';
import type { JsonReply, PostRoute } from '../endpoints/json-endpoint';
import { onEachPath } from './on-each-path';

/** The JSON POST endpoints on an express router: the path for requests the fast path leaves to express. */
export function postRouter(routes: readonly PostRoute[]): Router {
  const router = Router();
  for (const route of routes) {
    onEachPath(router, 'post', route.paths, async (req, res) => {
      const call = { caller: req, body: req.body, query: req.query as Record<string, unknown>, path: pathSegments(req.params) };
      sendReply(res, await route.endpoint(call));
    });
  }
  return router;
}

/** The common error handler's hook: errors on a route with its own error dialect (exact paths) take that form. */
export function postFailureBodies(routes: readonly PostRoute[]): ErrorBodyFor {
  const byPath = new Map<string, NonNullable<PostRoute['failureBody']>>();
  for (const { paths, failureBody } of routes) if (failureBody) for (const path of paths) byPath.set(path, failureBody);
  return (req, body) => byPath.get(req.path)?.(body) ?? body;
}

export function sendReply(res: Response, reply: JsonReply): void {
  if (reply.decisionMs !== undefined) res.setHeader('Server-Timing', serverTiming(reply.decisionMs));
  res.status(reply.status ?? 200).json(reply.body);
}

export function serverTiming(milliseconds: number): string {
  return `decision;dur=${milliseconds.toFixed(3)}`;
}

/** Express 5 gives a `*path` parameter as its decoded segments. */
export function pathSegments(params: Record<string, unknown>): string[] {
  const segments = params.path;
  const list = Array.isArray(segments) ? (segments as string[]) : typeof segments === 'string' ? segments.split('/') : [];
  return list.filter((segment) => segment.length > 0);
}
