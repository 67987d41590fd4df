import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { unauthorized } from '../http/http-error';
import '../http/request-context';
import type { ApiKeysSource } from './api-keys-source';
import { verifyApiKey } from './api-key-verifier';

const REJECTION_MESSAGES = {
  missing: 'missing API key: send Authorization: Bearer <key> or X-API-Key',
  invalid: 'invalid API key',
  expired: 'API key expired',
  revoked: 'API key revoked',
} as const;

/** The key from `Authorization: Bearer <key>` or, failing that, `X-API-Key`. */
export function presentedApiKey(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

/** Rejects with 401 unless the request carries a current key; sets `req.apiKey` for the routes. */
export function apiKeyMiddleware(source: ApiKeysSource, now: () => Date = () => new Date()): RequestHandler {
  return (req, _res, next) => {
    const key = presentedApiKey(req);
    if (!key) throw unauthorized(REJECTION_MESSAGES.missing);
    const verdict = verifyApiKey(key, source.keys(), now());
    if (!verdict.ok) throw unauthorized(REJECTION_MESSAGES[verdict.reason]);
    req.apiKey = { keyId: verdict.record.id, name: verdict.record.name, tenant: verdict.record.tenant, role: verdict.record.role ?? 'viewer' };
    req.log = req.log.child({ api_key_id: verdict.record.id });
    next();
  };
}
