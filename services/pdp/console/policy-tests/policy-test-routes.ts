import { Router } from 'express';
import { HttpError } from '../../../common';
import { RegoErrors } from '../../../rego';
import { LoaderError } from '../../../rego/loader';
import type { BundleSource } from '../../bundles/bundle-source';
import type { PolicyTestReport } from '../console-contract';
import { PolicyTestSetupError, runPolicyTests } from './policy-test-run';

/**
 * `POST …/policy-tests/run`. One run at a time per PDP process: a second request while one runs gets
 * the same report, so a double click cannot queue CPU-heavy runs on the decision path's event loop.
 */
export function policyTestRoutes(bundles: BundleSource, testsDir: string): Router {
  const router = Router();
  let running: Promise<PolicyTestReport> | null = null;
  router.post('/policy-tests/run', async (_req, res) => {
    const status = bundles.status();
    running ??= runPolicyTests({ bundle: status.source, testsDir, revision: status.activeRevision }).finally(() => {
      running = null;
    });
    try {
      res.json(await running);
    } catch (error) {
      if (error instanceof PolicyTestSetupError) throw new HttpError(409, 'tests_unavailable', error.message);
      if (error instanceof RegoErrors || error instanceof LoaderError) throw new HttpError(422, 'policy_error', error.message);
      throw error;
    }
  });
  return router;
}
