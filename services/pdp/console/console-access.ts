import type { Request, RequestHandler } from 'express';
import { forbidden } from '../../common';

export type ConsoleRole = 'viewer' | 'admin';

/**
 * The caller's console role: the API key's `role` (viewer unless the keys file says admin). Without
 * authentication the PDP runs on a loopback address or with `PDP_AUTH=none`, where every caller is
 * already trusted with the whole API, so the console grants admin as well.
 */
export function consoleRoleOf(req: Request): ConsoleRole {
  return req.apiKey ? req.apiKey.role : 'admin';
}

/** Rejects viewers with 403 (approve, re-drive and scratch policy edits change state). */
export function requireAdmin(): RequestHandler {
  return (req, _res, next) => {
    if (consoleRoleOf(req) !== 'admin') throw forbidden('this console action needs an API key with the admin role');
    next();
  };
}
