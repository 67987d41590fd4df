import { Router } from 'express';
import { consoleCallerOf, consoleRoleOf } from './console-access';

export interface ConsoleFeatures {
  /** Scratch Rego editing in the playground (`PDP_CONSOLE_DEV=true`). */
  scratchPolicies: boolean;
  audit: boolean;
  tools: boolean;
}

/** `GET …/session`: who the console is talking to and what it may show; never the key or token itself. */
export function sessionRoutes(features: ConsoleFeatures): Router {
  const router = Router();
  router.get('/session', (req, res) => {
    const caller = consoleCallerOf(req);
    res.json({
      role: consoleRoleOf(req),
      caller: caller
        ? { via: caller.via, id: caller.id, name: caller.name, tenant: caller.tenant, expires_at: caller.expiresAt?.toISOString() ?? null }
        : null,
      key: req.apiKey ? { id: req.apiKey.keyId, name: req.apiKey.name, tenant: req.apiKey.tenant } : null,
      authenticated: caller !== undefined,
      features,
    });
  });
  return router;
}
