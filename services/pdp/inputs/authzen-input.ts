import type { AuthzenEvaluationRequest } from '../contracts/authzen';
import { principalSchema, type Principal } from '../contracts/principal';
import type { GatewayInput } from './gateway-input';

export type AuthzenMapping = { ok: true; input: GatewayInput } | { ok: false; reason: string };

const RESOURCE_FIELDS: Readonly<Record<string, 'tool' | 'uri' | 'prompt'>> = { tool: 'tool', resource: 'uri', prompt: 'prompt' };

/**
 * An AuthZEN evaluation as a gateway question: subject → principal (properties become its attributes),
 * action.name → action, resource `{type: tool|resource|prompt|server, id, properties.server}`.
 */
export function authzenInput(request: AuthzenEvaluationRequest, callerTenant: string | undefined): AuthzenMapping {
  const principal = principalSchema.safeParse({ ...request.subject.properties, id: request.subject.id, type: request.subject.type });
  if (!principal.success) return { ok: false, reason: 'subject is not a usable principal' };
  const resource = resourceOf(request.resource);
  if (resource === undefined) return { ok: false, reason: `resource type ${request.resource.type} is not known` };
  const parameters = request.action.properties?.parameters;
  const input: GatewayInput = {
    principal: withTenant(principal.data, callerTenant),
    action: request.action.name,
    resource,
    context: request.context ?? {},
  };
  if (typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters)) input.parameters = parameters as Record<string, unknown>;
  return { ok: true, input };
}

function resourceOf(resource: AuthzenEvaluationRequest['resource']): GatewayInput['resource'] | undefined {
  const properties = resource.properties ?? {};
  const mapped: GatewayInput['resource'] = {};
  if (typeof properties.sensitivity === 'string') mapped.sensitivity = properties.sensitivity;
  if (resource.type === 'server') return { ...mapped, server: resource.id };
  const field = RESOURCE_FIELDS[resource.type];
  if (field === undefined) return undefined;
  if (typeof properties.server === 'string') mapped.server = properties.server;
  mapped[field] = resource.id;
  return mapped;
}

function withTenant(principal: Principal, tenant: string | undefined): Principal {
  return principal.tenant === undefined && tenant !== undefined ? { ...principal, tenant } : principal;
}
