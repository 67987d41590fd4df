import { z } from 'zod';

/**
 * The part of the PDP's HTTP contract the proxy uses (`POST /v1/authorize`, `POST /v1/authorize/batch`);
 * the PDP's own schemas live in services/pdp/contracts, which a service may not import.
 */
export interface PdpPrincipal {
  id: string;
  type: 'user' | 'agent' | 'service';
  roles?: string[];
  teams?: string[];
  tenant?: string;
  clearance?: string;
  trust_level?: string;
  attributes?: Record<string, unknown>;
}

export interface PdpContext {
  ip: string;
  time: string;
  session_id?: string;
  request_id?: string;
}

export interface PdpQuestion {
  action: string;
  server_name?: string;
  tool_name?: string;
  resource_uri?: string;
  prompt_name?: string;
  parameters?: Record<string, unknown>;
  gateway_metadata?: Record<string, unknown>;
  /** Tool pinning: the PDP puts these into the policy input as resource.definition_hash/_changed. */
  definition_hash?: string;
  definition_changed?: boolean;
}

export const pdpDecisionSchema = z.looseObject({
  allow: z.boolean(),
  reason: z.string().optional(),
  reasons: z.array(z.string()).default([]),
  filtered_parameters: z.record(z.string(), z.unknown()).optional(),
  obligations: z.record(z.string(), z.unknown()).optional(),
  cache_ttl: z.number().min(0).default(0),
  decision_id: z.string().optional(),
  revision: z.string().nullable().optional(),
});

export type PdpDecision = z.infer<typeof pdpDecisionSchema>;

export const pdpBatchResponseSchema = z.object({ results: z.array(pdpDecisionSchema) });
