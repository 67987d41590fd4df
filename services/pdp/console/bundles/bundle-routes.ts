import { Router } from 'express';
import type { BundleSource } from '../../bundles/bundle-source';
import type { SignaturePolicy } from '../console-contract';
import { bundleReport } from './bundle-report';

/** `GET …/bundles`: the active bundle, the last check and error, signature checking, history. */
export function bundleRoutes(bundles: BundleSource, signature: SignaturePolicy): Router {
  const router = Router();
  router.get('/bundles', (_req, res) => {
    res.json(bundleReport(bundles, signature));
  });
  return router;
}
