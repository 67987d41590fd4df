import type { Request, RequestHandler } from 'express';
import { forbidden, unauthorized } from '../../common';
import type { SubjectTokenVerifier } from '../principals/subject-token-verifier';
import { CONSOLE_API_PATH } from './console-api';
import type { ConsoleTokenClaims } from './console-settings';
import { consoleCallerFromClaims } from './console-token-claims';

export interface ConsoleAuthenticationOptions {
  /** The PDP's API-key middleware for everything else; absent when the PDP runs without keys. */
  apiKeys?: RequestHandler;
  /** The same JWKS, issuer and audience as subject tokens (`PDP_JWKS_URL`, `PDP_JWT_ISSUER`, `PDP_JWT_AUDIENCE`). */
  tokens: SubjectTokenVerifier;
  claims: ConsoleTokenClaims;
}

/** Three base64url parts: what a JWT looks like, and what an API key (`mcpz_…`, no dots) never does. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The PDP's authentication with the console's JWT sign-in in front: a console API call whose bearer
 * credential is a JWT is signed in with that token (401 when it does not verify, 403 when its claims
 * give no console role); every other call, and every console call with an API key, goes to the API-key
 * middleware as before. A JWT is verified even when the PDP runs without keys, so a refused token is
 * never quietly treated as the trusted loopback caller.
 */
export function consoleAuthentication(options: ConsoleAuthenticationOptions): RequestHandler {
  return async (req, res, next) => {
    const token = req.path.startsWith(`${CONSOLE_API_PATH}/`) ? bearerJwtOf(req) : undefined;
    if (token === undefined) return options.apiKeys ? options.apiKeys(req, res, next) : next();
    const verdict = await options.tokens.verify(token);
    if (!verdict.ok) throw unauthorized(`token rejected: ${verdict.problem}`);
    const caller = consoleCallerFromClaims(verdict.claims, options.claims);
    if (!caller.ok) throw forbidden(caller.message);
    req.consoleUser = caller.caller;
    req.log = req.log.child({ console_user: caller.caller.id });
    next();
  };
}

function bearerJwtOf(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match && JWT_SHAPE.test(match[1]) ? match[1] : undefined;
}
