import type { RequestHandler } from 'express';
import type { AuthzenConfiguration } from '../contracts/authzen';

export const AUTHZEN_METADATA_PATH = '/.well-known/authzen-configuration';

/** AuthZEN PDP metadata, with URLs on the host the client addressed (so they match what it asked). */
export function authzenMetadataHandler(): RequestHandler {
  return (req, res) => {
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const metadata: AuthzenConfiguration = {
      policy_decision_point: base,
      access_evaluation_endpoint: `${base}/access/v1/evaluation`,
      access_evaluations_endpoint: `${base}/access/v1/evaluations`,
    };
    res.json(metadata);
  };
}
