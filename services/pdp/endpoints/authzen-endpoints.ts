import { Router, type Request } from 'express';
import { HttpError, parseRequest } from '../../common';
import {
  authzenEvaluationRequestSchema,
  authzenEvaluationsRequestSchema,
  type AuthzenEvaluationRequest,
  type AuthzenEvaluationResponse,
  type AuthzenEvaluationsRequest,
} from '../contracts/authzen';
import type { DecisionAnswer } from '../decisions/decider';
import { authzenInput } from '../inputs/authzen-input';
import type { PdpServices } from './pdp-services';
import { decisionMeta } from './request-meta';

export const EVALUATION_PATH = '/access/v1/evaluation';
export const EVALUATIONS_PATH = '/access/v1/evaluations';

/** OpenID AuthZEN Authorization API 1.0: access evaluation and evaluations (batch). */
export function authzenRouter(services: PdpServices): Router {
  const router = Router();

  router.post(EVALUATION_PATH, (req, res) => {
    const request = parseRequest(authzenEvaluationRequestSchema, req.body);
    res.json(evaluate(services, req, request));
  });

  router.post(EVALUATIONS_PATH, (req, res) => {
    const batch = parseRequest(authzenEvaluationsRequestSchema, req.body);
    const items = batch.evaluations ?? [];
    if (items.length === 0) {
      res.json(evaluate(services, req, completed(batch, {}, -1)));
      return;
    }
    const semantic = batch.options?.evaluations_semantic ?? 'execute_all';
    const requests = items.map((item, index) => completed(batch, item, index));
    const evaluations: AuthzenEvaluationResponse[] = [];
    for (const request of requests) {
      const answer = evaluate(services, req, request);
      evaluations.push(answer);
      if (semantic === 'deny_on_first_deny' && !answer.decision) break;
      if (semantic === 'permit_on_first_permit' && answer.decision) break;
    }
    res.json({ evaluations });
  });

  return router;
}

/** An item of `evaluations` completed with the request's top-level defaults (the item's own fields win). */
function completed(batch: AuthzenEvaluationsRequest, item: NonNullable<AuthzenEvaluationsRequest['evaluations']>[number], index: number): AuthzenEvaluationRequest {
  const subject = item.subject ?? batch.subject;
  const action = item.action ?? batch.action;
  const resource = item.resource ?? batch.resource;
  const missing = [!subject && 'subject', !action && 'action', !resource && 'resource'].filter((name): name is string => Boolean(name));
  if (!subject || !action || !resource) {
    const at = index < 0 ? '' : `evaluations.${index}.`;
    throw new HttpError(400, 'invalid_request', 'invalid request body', missing.map((name) => ({ path: `${at}${name}`, message: 'required here or at the top level' })));
  }
  return { subject, action, resource, context: item.context ?? batch.context };
}

function evaluate(services: PdpServices, req: Request, request: AuthzenEvaluationRequest): AuthzenEvaluationResponse {
  const mapping = authzenInput(request, req.apiKey?.tenant);
  const meta = decisionMeta(req, undefined, false);
  const answer = mapping.ok
    ? services.decider.gateway(mapping.input, decisionMeta(req, mapping.input.principal.tenant, false))
    : services.decider.refuse({ action: request.action.name, principal: { id: request.subject.id, type: request.subject.type } }, mapping.reason, meta);
  return authzenAnswer(answer);
}

function authzenAnswer(answer: DecisionAnswer): AuthzenEvaluationResponse {
  return {
    decision: answer.allow,
    context: { id: answer.decision_id, reason_admin: { en: answer.reason }, reasons: answer.reasons, revision: answer.revision },
  };
}
