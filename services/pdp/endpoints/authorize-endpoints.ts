import { performance } from 'node:perf_hooks';
import { canonicalJson, parseRequest } from '../../common';
import { a2aRequestSchema, type A2aRequest } from '../contracts/authorize-a2a';
import { authorizeRequestSchema, batchRequestSchema, type AuthorizeQuestion, type BatchRequest } from '../contracts/authorize';
import type { DecisionAnswer } from '../decisions/decider';
import { a2aInput } from '../inputs/a2a-input';
import { gatewayInput, mcpAction, type GatewayInput } from '../inputs/gateway-input';
import { agentFromClaims } from '../principals/claims-principal';
import { principalResolver } from '../principals/resolve-principal';
import { decisionMeta } from './decision-meta';
import type { Caller, PostRoute } from './json-endpoint';
import type { PdpServices } from './pdp-services';
import { PREPARED_REQUESTS, preparedRequests } from './prepared-requests';

/** `POST /v1/authorize` (and SARK's alias), `/v1/authorize-a2a` (and alias), `/v1/authorize/batch`. */
export function authorizeRoutes(services: PdpServices): PostRoute[] {
  const prepared = preparedRequests<PreparedQuestion>(PREPARED_REQUESTS);
  return [
    {
      paths: ['/v1/authorize', '/api/v1/gateway/authorize'],
      async endpoint(call) {
        const { caller } = call;
        // The input carries the API key's tenant: questions are remembered per tenant.
        const tenant = caller.apiKey?.tenant;
        const { question, input, canonicalInput } = prepared(tenant ?? '', call.rawBody, () => prepareQuestion(parseRequest(authorizeRequestSchema, call.body), tenant));
        const started = performance.now();
        const answer =
          input === undefined
            ? await answerQuestion(services, caller, question, principalResolver(services.tokens))
            : services.decider.gateway(input, decisionMeta(caller, input.principal.tenant, question.explain), canonicalInput);
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

interface PreparedQuestion {
  question: AuthorizeQuestion;
  /** The policy input and its canonical text, when the caller asserts the principal (a subject token is verified per request). */
  input?: GatewayInput;
  canonicalInput?: string;
}

function prepareQuestion(question: AuthorizeQuestion, callerTenant: string | undefined): PreparedQuestion {
  if (question.subject_token !== undefined || question.principal === undefined) return { question };
  const input = gatewayInput(question, question.principal, callerTenant);
  return { question, input, canonicalInput: canonicalJson(input) };
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
