import { performance } from 'node:perf_hooks';
import { Router, type Request } from 'express';
import { parseRequest } from '../../common';
import { a2aRequestSchema, type A2aRequest } from '../contracts/authorize-a2a';
import { authorizeRequestSchema, batchRequestSchema, type AuthorizeQuestion, type BatchRequest } from '../contracts/authorize';
import type { DecisionAnswer } from '../decisions/decider';
import { a2aInput } from '../inputs/a2a-input';
import { gatewayInput, mcpAction } from '../inputs/gateway-input';
import { agentFromClaims } from '../principals/claims-principal';
import { principalResolver } from '../principals/resolve-principal';
import { onEachPath } from './on-each-path';
import type { PdpServices } from './pdp-services';
import { decisionMeta, setDecisionTiming } from './request-meta';

export const AUTHORIZE_PATHS = ['/v1/authorize', '/api/v1/gateway/authorize'];
export const A2A_PATHS = ['/v1/authorize-a2a', '/api/v1/gateway/authorize-a2a'];
export const BATCH_PATH = '/v1/authorize/batch';

/** `POST /v1/authorize` (and SARK's alias), `/v1/authorize-a2a`, `/v1/authorize/batch`. */
export function authorizeRouter(services: PdpServices): Router {
  const router = Router();

  onEachPath(router, 'post', AUTHORIZE_PATHS, async (req, res) => {
    const question = parseRequest(authorizeRequestSchema, req.body);
    const started = performance.now();
    const answer = await answerQuestion(services, req, question, principalResolver(services.tokens));
    setDecisionTiming(res, performance.now() - started);
    res.json(answer);
  });

  router.post(BATCH_PATH, async (req, res) => {
    const batch = parseRequest(batchRequestSchema, req.body);
    const started = performance.now();
    const resolve = principalResolver(services.tokens);
    const results: DecisionAnswer[] = [];
    for (const question of batch.requests) results.push(await answerQuestion(services, req, withDefaults(question, batch), resolve));
    setDecisionTiming(res, performance.now() - started);
    res.json({ results });
  });

  onEachPath(router, 'post', A2A_PATHS, async (req, res) => {
    const request = parseRequest(a2aRequestSchema, req.body);
    const started = performance.now();
    const answer = await answerA2a(services, req, request);
    setDecisionTiming(res, performance.now() - started);
    res.json(answer);
  });

  return router;
}

export async function answerQuestion(
  services: PdpServices,
  req: Request,
  question: AuthorizeQuestion,
  resolve: ReturnType<typeof principalResolver>,
): Promise<DecisionAnswer> {
  const resolution = await resolve(question.principal, question.subject_token);
  if (!resolution.ok) {
    const subject = { action: mcpAction(question.action), server: question.server_name, tool: question.tool_name };
    return services.decider.refuse(subject, resolution.reason, decisionMeta(req, undefined, question.explain));
  }
  const input = gatewayInput(question, resolution.principal, req.apiKey?.tenant);
  return services.decider.gateway(input, decisionMeta(req, input.principal.tenant, question.explain));
}

async function answerA2a(services: PdpServices, req: Request, request: A2aRequest): Promise<DecisionAnswer> {
  if (request.agent_token === undefined) {
    const input = a2aInput(request, request.source_agent_id as string, undefined);
    return services.decider.a2a(input, decisionMeta(req, undefined, request.explain));
  }
  const verdict = await services.tokens.verify(request.agent_token);
  const meta = decisionMeta(req, undefined, request.explain);
  if (!verdict.ok) {
    return services.decider.refuse({ action: `a2a:${request.capability}`, agent_id: request.source_agent_id }, verdict.reason.replace('subject token', 'agent token'), meta);
  }
  const agentId = String(verdict.claims.sub);
  if (request.source_agent_id !== undefined && request.source_agent_id !== agentId) {
    return services.decider.refuse({ action: `a2a:${request.capability}`, agent_id: agentId }, 'agent token does not name source_agent_id', meta);
  }
  return services.decider.a2a(a2aInput(request, agentId, agentFromClaims(verdict.claims)), meta);
}

/** A batch's top-level principal, token and context apply to every question that lacks its own. */
function withDefaults(question: AuthorizeQuestion, batch: BatchRequest): AuthorizeQuestion {
  const ownsPrincipal = question.principal !== undefined || question.subject_token !== undefined;
  return {
    ...question,
    principal: ownsPrincipal ? question.principal : batch.principal,
    subject_token: ownsPrincipal ? question.subject_token : batch.subject_token,
    context: question.context ?? batch.context,
  };
}
