import { Router } from 'express';
import { consoleRoleOf } from './console-access';

export interface ConsoleFeatures {
  /** Scratch Rego editing in the playground (`PDP_CONSOLE_DEV=true`). */
  scratchPolicies: boolean;
  audit: boolean;
  tools: boolean;
}

/** `GET …/session`: who the console is talking to and what it may show; never the key itself. */
export function sessionRoutes(features: ConsoleFeatures): Router {
  const router = Router();
  router.get('/session', (req, res) => {
    res.json({
      role: consoleRoleOf(req),
      key: req.apiKey ? { id: req.apiKey.keyId, name: req.apiKey.name, tenant: req.apiKey.tenant } : null,
      authenticated: req.apiKey !== undefined,
      features,
    });
  });
  return router;
}
