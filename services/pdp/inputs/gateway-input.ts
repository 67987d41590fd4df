import type { AuthorizeQuestion } from '../contracts/authorize';
import type { Principal } from '../contracts/principal';

/** The policies' `input` for `data.mcp.gateway.decision` (see policies/mcp/gateway.rego). */
export interface GatewayInput {
  principal: Principal;
  action: string;
  resource: { server?: string; tool?: string; uri?: string; prompt?: string; sensitivity?: string; definition_hash?: string; definition_changed?: boolean };
  parameters?: Record<string, unknown>;
  context: Record<string, unknown>;
  gateway_metadata?: Record<string, unknown>;
}

/** SARK's gateway actions, in the MCP method names our policies speak. */
const SARK_ACTIONS: Readonly<Record<string, string>> = {
  'gateway:tool:invoke': 'tools/call',
  'gateway:tool:discover': 'tools/list',
  'gateway:server:info': 'gateway:server:list',
};

export function mcpAction(action: string): string {
  return SARK_ACTIONS[action] ?? action;
}

/** `tenant` defaults to the API key's tenant, so a caller's principals land in its own tenant. */
export function gatewayInput(question: AuthorizeQuestion, principal: Principal, callerTenant: string | undefined): GatewayInput {
  const resource: GatewayInput['resource'] = {};
  if (question.server_name !== undefined) resource.server = question.server_name;
  if (question.tool_name !== undefined) resource.tool = question.tool_name;
  if (question.resource_uri !== undefined) resource.uri = question.resource_uri;
  if (question.prompt_name !== undefined) resource.prompt = question.prompt_name;
  if (question.sensitivity_level !== undefined) resource.sensitivity = question.sensitivity_level;
  if (question.definition_hash !== undefined) resource.definition_hash = question.definition_hash;
  if (question.definition_changed !== undefined) resource.definition_changed = question.definition_changed;
  const input: GatewayInput = {
    principal: principal.tenant === undefined && callerTenant !== undefined ? { ...principal, tenant: callerTenant } : principal,
    action: mcpAction(question.action),
    resource,
    context: question.context ?? {},
  };
  if (question.parameters !== undefined) input.parameters = question.parameters;
  if (question.gateway_metadata !== undefined) input.gateway_metadata = question.gateway_metadata;
  return input;
}
