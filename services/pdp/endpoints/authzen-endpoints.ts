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
import { decisionMeta } from './decision-meta';
import type { Caller, PostRoute } from './json-endpoint';
import type { PdpServices } from './pdp-services';

/** OpenID AuthZEN Authorization API 1.0: access evaluation and evaluations (batch). */
export function authzenRoutes(services: PdpServices): PostRoute[] {
  return [
    {
      paths: ['/access/v1/evaluation'],
      endpoint: ({ caller, body }) => ({ body: evaluate(services, caller, parseRequest(authzenEvaluationRequestSchema, body)) }),
    },
    {
      paths: ['/access/v1/evaluations'],
      endpoint: ({ caller, body }) => ({ body: evaluateAll(services, caller, parseRequest(authzenEvaluationsRequestSchema, body)) }),
    },
  ];
}

function evaluateAll(services: PdpServices, caller: Caller, batch: AuthzenEvaluationsRequest): unknown {
  const items = batch.evaluations ?? [];
  if (items.length === 0) return evaluate(services, caller, completed(batch, {}, -1));
  const semantic = batch.options?.evaluations_semantic ?? 'execute_all';
  const requests = items.map((item, index) => completed(batch, item, index));
  const evaluations: AuthzenEvaluationResponse[] = [];
  for (const request of requests) {
    const answer = evaluate(services, caller, request);
    evaluations.push(answer);
    if (semantic === 'deny_on_first_deny' && !answer.decision) break;
    if (semantic === 'permit_on_first_permit' && answer.decision) break;
  }
  return { evaluations };
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

function evaluate(services: PdpServices, caller: Caller, request: AuthzenEvaluationRequest): AuthzenEvaluationResponse {
  const mapping = authzenInput(request, caller.apiKey?.tenant);
  const meta = decisionMeta(caller, undefined, false);
  const answer = mapping.ok
    ? services.decider.gateway(mapping.input, decisionMeta(caller, mapping.input.principal.tenant, false))
    : services.decider.refuse({ action: request.action.name, principal: { id: request.subject.id, type: request.subject.type } }, mapping.reason, meta);
  return authzenAnswer(answer);
}

function authzenAnswer(answer: DecisionAnswer): AuthzenEvaluationResponse {
  return {
    decision: answer.allow,
    context: { id: answer.decision_id, reason_admin: { en: answer.reason }, reasons: answer.reasons, revision: answer.revision },
  };
}
