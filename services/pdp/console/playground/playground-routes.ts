import { Router } from 'express';
import { z } from 'zod';
import { HttpError, parseRequest } from '../../../common';
import type { BundleSource } from '../../bundles/bundle-source';
import { PLAYGROUND_ENTRYPOINTS } from '../console-contract';
import { evaluateInPlayground } from './playground-evaluation';
import { PLAYGROUND_EXAMPLES } from './playground-examples';

const evaluateBodySchema = z.object({
  entrypoint: z.enum(PLAYGROUND_ENTRYPOINTS, { error: `expected one of ${PLAYGROUND_ENTRYPOINTS.join(', ')}` }),
  input: z.unknown(),
});

/** `GET …/playground/examples` and `POST …/playground/evaluate` (read-only: any console role). */
export function playgroundRoutes(bundles: BundleSource, timeoutMs: number): Router {
  const router = Router();
  router.get('/playground/examples', (_req, res) => {
    res.json({ entrypoints: PLAYGROUND_ENTRYPOINTS, examples: PLAYGROUND_EXAMPLES });
  });
  router.post('/playground/evaluate', (req, res) => {
    const body = parseRequest(evaluateBodySchema, req.body);
    const bundle = bundles.current();
    if (!bundle) throw new HttpError(503, 'no_bundle', 'no policy bundle is active');
    res.json(evaluateInPlayground(bundle, body.entrypoint, body.input, timeoutMs));
  });
  return router;
}
