import { Router } from 'express';
import { consoleCallerOf, consoleRoleOf } from './console-access';
import type { ConsoleFeatures, ConsoleSession } from './console-contract';

/** `GET …/session`: who the console is talking to and what it may show; never the key or token itself. */
export function sessionRoutes(features: ConsoleFeatures): Router {
  const router = Router();
  router.get('/session', (req, res) => {
    const caller = consoleCallerOf(req);
    const session: ConsoleSession = {
      role: consoleRoleOf(req),
      caller: caller
        ? { via: caller.via, id: caller.id, name: caller.name, tenant: caller.tenant, expires_at: caller.expiresAt?.toISOString() ?? null }
        : null,
      key: req.apiKey ? { id: req.apiKey.keyId, name: req.apiKey.name, tenant: req.apiKey.tenant } : null,
      authenticated: caller !== undefined,
      features,
    };
    res.json(session);
  });
  return router;
}
