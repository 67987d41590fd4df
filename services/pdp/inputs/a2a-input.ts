import type { A2aRequest } from '../contracts/authorize-a2a';

/** The policies' `input` for `data.mcp.a2a.decision` (see policies/mcp/a2a.rego). */
export interface A2aInput {
  source_agent: Record<string, unknown> & { id: string };
  target_agent: Record<string, unknown> & { id: string };
  capability: string;
  message_type?: string;
  payload_metadata?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  context: Record<string, unknown>;
}

/** Agent attributes come from the verified agent token (`fromToken`) or from the trusted caller's `source_agent`. */
export function a2aInput(request: A2aRequest, sourceAgentId: string, fromToken: Record<string, unknown> | undefined): A2aInput {
  const sourceAttributes = fromToken ?? request.source_agent ?? {};
  const target: A2aInput['target_agent'] = { ...request.target_agent, id: request.target_agent_id };
  if (request.target_environment !== undefined) target.environment = request.target_environment;
  const input: A2aInput = {
    source_agent: { type: 'agent', ...sourceAttributes, id: sourceAgentId },
    target_agent: target,
    capability: request.capability,
    context: request.context ?? {},
  };
  if (request.message_type !== undefined) input.message_type = request.message_type;
  if (request.payload_metadata !== undefined) input.payload_metadata = request.payload_metadata;
  if (request.parameters !== undefined) input.parameters = request.parameters;
  return input;
}
