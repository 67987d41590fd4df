import { validationDetails } from '../../common';
import { registryAuthorizeRequestSchema, type RegistryAuthorizeRequest, type RegistryAuthorizeResponse } from '../contracts/gateway-registry';
import type { Principal } from '../contracts/principal';
import { principalFromClaims } from '../principals/claims-principal';
import { forwardedBearerToken, nativePrincipal, registryInput } from '../inputs/registry-input';
import { decisionMeta } from './decision-meta';
import type { Caller, PostRoute } from './json-endpoint';
import type { PdpServices } from './pdp-services';

/** The MCP Gateway Registry's custom authorizer: any doubt answers `authorized: false`. */
export function gatewayRegistryRoutes(services: PdpServices): PostRoute[] {
  return [
    {
      paths: ['/authorize'],
      failureBody: (failure) => ({ authorized: false, error: failure.error }) satisfies RegistryAuthorizeResponse,
      async endpoint({ caller, body }) {
        const parsed = registryAuthorizeRequestSchema.safeParse(body);
        if (!parsed.success) {
          const refusal: RegistryAuthorizeResponse = {
            authorized: false,
            error: { code: 'invalid_request', message: 'invalid request body', details: validationDetails(parsed.error) },
          };
          return { status: 400, body: refusal };
        }
        return { body: await authorize(services, caller, parsed.data) };
      },
    },
  ];
}

async function authorize(services: PdpServices, caller: Caller, request: RegistryAuthorizeRequest): Promise<RegistryAuthorizeResponse> {
  const principal = await principalOf(services, request);
  if (!principal.ok) return refusal(services, caller, 'unauthenticated', principal.reason);
  const mapping = registryInput(request, principal.principal);
  if (!mapping.ok) return refusal(services, caller, mapping.code, mapping.reason, principal.principal);
  const answer = services.decider.gateway(mapping.input, decisionMeta(caller, principal.principal.tenant, false));
  const metadata = { decision_id: answer.decision_id, audit_id: answer.audit_id, revision: answer.revision, reasons: answer.reasons, cache_ttl: answer.cache_ttl };
  if (answer.allow) return { authorized: true, metadata };
  return { authorized: false, metadata, error: { code: 'forbidden', message: answer.reason, details: [] } };
}

async function principalOf(services: PdpServices, request: RegistryAuthorizeRequest): Promise<{ ok: true; principal: Principal } | { ok: false; reason: string }> {
  const native = nativePrincipal(request);
  if (native) return { ok: true, principal: native };
  const token = forwardedBearerToken(request);
  if (token === undefined) return { ok: false, reason: 'the gateway did not authenticate the caller' };
  const verdict = await services.tokens.verify(token);
  if (!verdict.ok) return { ok: false, reason: verdict.reason };
  return { ok: true, principal: principalFromClaims(verdict.claims) };
}

/** Refusals before any policy ran are decisions too: recorded like the rest. */
function refusal(services: PdpServices, caller: Caller, code: string, message: string, principal?: Principal): RegistryAuthorizeResponse {
  const subject = principal ? { principal: { id: principal.id, type: principal.type } } : {};
  const answer = services.decider.refuse(subject, message, decisionMeta(caller, principal?.tenant, false));
  return { authorized: false, metadata: { decision_id: answer.decision_id, audit_id: answer.audit_id }, error: { code, message, details: [] } };
}
