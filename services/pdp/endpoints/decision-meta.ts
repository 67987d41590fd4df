import type { Request, Response } from 'express';
import type { DecisionMeta } from '../decisions/decider';

/** Decisions are recorded under the API key's tenant, else the principal's, else `default`. */
export function decisionMeta(req: Request, principalTenant: string | undefined, explain: boolean | undefined): DecisionMeta {
  return { requestId: req.requestId, tenant: req.apiKey?.tenant ?? principalTenant ?? 'default', explain };
}

/** `Server-Timing: decision;dur=…` lets clients (and the benchmark) see server-side decision time. */
export function setDecisionTiming(res: Response, milliseconds: number): void {
  res.setHeader('Server-Timing', `decision;dur=${milliseconds.toFixed(3)}`);
}
