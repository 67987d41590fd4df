import { performance } from 'node:perf_hooks';
import { parseRequest } from '../../common';
import { a2aRequestSchema, type A2aRequest } from '../contracts/authorize-a2a';
import { authorizeRequestSchema, batchRequestSchema, type AuthorizeQuestion, type BatchRequest } from '../contracts/authorize';
import type { DecisionAnswer } from '../decisions/decider';
import { a2aInput } from '../inputs/a2a-input';
import { gatewayInput, mcpAction } from '../inputs/gateway-input';
import { agentFromClaims } from '../principals/claims-principal';
import { principalResolver } from '../principals/resolve-principal';
import { decisionMeta } from './decision-meta';
import type { Caller, PostRoute } from './json-endpoint';
import type { PdpServices } from './pdp-services';

/** `POST /v1/authorize` (and SARK's alias), `/v1/authorize-a2a` (and alias), `/v1/authorize/batch`. */
export function authorizeRoutes(services: PdpServices): PostRoute[] {
  return [
    {
      paths: ['/v1/authorize', '/api/v1/gateway/authorize'],
      async endpoint({ caller, body }) {
        const question = parseRequest(authorizeRequestSchema, body);
        const started = performance.now();
        const answer = await answerQuestion(services, caller, question, principalResolver(services.tokens));
        return { body: answer, decisionMs: performance.now() - started };
      },
    },
    {
      paths: ['/v1/authorize/batch'],
      async endpoint({ caller, body }) {
        const batch = parseRequest(batchRequestSchema, body);
        const started = performance.now();
        const resolve = principalResolver(services.tokens);
        const results: DecisionAnswer[] = [];
        for (const question of batch.requests) results.push(await answerQuestion(services, caller, withDefaults(question, batch), resolve));
        return { body: { results }, decisionMs: performance.now() - started };
      },
    },
    {
      paths: ['/v1/authorize-a2a', '/api/v1/gateway/authorize-a2a'],
      async endpoint({ caller, body }) {
        const request = parseRequest(a2aRequestSchema, body);
        const started = performance.now();
        const answer = await answerA2a(services, caller, request);
        return { body: answer, decisionMs: performance.now() - started };
      },
    },
  ];
}

async function answerQuestion(
  services: PdpServices,
  caller: Caller,
  question: AuthorizeQuestion,
  resolve: ReturnType<typeof principalResolver>,
): Promise<DecisionAnswer> {
  const resolved = resolve(question.principal, question.subject_token);
  const resolution = resolved instanceof Promise ? await resolved : resolved;
  if (!resolution.ok) {
    const subject = { action: mcpAction(question.action), server: question.server_name, tool: question.tool_name };
    return services.decider.refuse(subject, resolution.reason, decisionMeta(caller, undefined, question.explain));
  }
  const input = gatewayInput(question, resolution.principal, caller.apiKey?.tenant);
  return services.decider.gateway(input, decisionMeta(caller, input.principal.tenant, question.explain));
}

async function answerA2a(services: PdpServices, caller: Caller, request: A2aRequest): Promise<DecisionAnswer> {
  const meta = decisionMeta(caller, undefined, request.explain);
  if (request.agent_token === undefined) {
    return services.decider.a2a(a2aInput(request, request.source_agent_id as string, undefined), meta);
  }
  const verdict = await services.tokens.verify(request.agent_token);
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
