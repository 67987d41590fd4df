import type { Request, RequestHandler } from 'express';
import { ALL_TENANTS, forbidden } from '../../common';

export type ConsoleRole = 'viewer' | 'admin';

/** Who is using the console: signed in with a PDP API key, or with a JWT of the identity provider. */
export interface ConsoleCaller {
  via: 'api_key' | 'jwt';
  /** The key's id, or the token's `sub`. */
  id: string;
  /** The key's name, or the token's `preferred_username`, `name` or `sub`. */
  name: string;
  /** The tenant whose audit trail the caller sees (`*`: every tenant). */
  tenant: string;
  role: ConsoleRole;
  /** When a token sign-in ends (its `exp`). */
  expiresAt?: Date;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by the console's token sign-in (`console-token-auth.ts`); API-key callers have `apiKey` instead. */
      consoleUser?: ConsoleCaller;
    }
  }
}

/** The signed-in caller, or undefined when the PDP runs without authentication. */
export function consoleCallerOf(req: Request): ConsoleCaller | undefined {
  if (req.consoleUser) return req.consoleUser;
  if (req.apiKey) return { via: 'api_key', id: req.apiKey.keyId, name: req.apiKey.name, tenant: req.apiKey.tenant, role: req.apiKey.role };
  return undefined;
}

/**
 * The caller's console role: the API key's `role` (viewer unless the keys file says admin) or the one
 * its token's claims give. Without authentication the PDP runs on a loopback address or with
 * `PDP_AUTH=none`, where every caller is already trusted with the whole API, so the console grants
 * admin as well.
 */
export function consoleRoleOf(req: Request): ConsoleRole {
  return consoleCallerOf(req)?.role ?? 'admin';
}

/** The one tenant the caller's audit views are limited to; undefined for operators (`*`) and without authentication. */
export function consoleTenantOf(req: Request): string | undefined {
  const tenant = consoleCallerOf(req)?.tenant;
  return tenant === ALL_TENANTS ? undefined : tenant;
}

/** Rejects viewers with 403 (approve, re-drive and scratch policy edits change state). */
export function requireAdmin(): RequestHandler {
  return (req, _res, next) => {
    if (consoleRoleOf(req) !== 'admin') throw forbidden('this console action needs the admin role');
    next();
  };
}
