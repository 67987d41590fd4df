import { z } from 'zod';
import { jsonObjectSchema, requestContextSchema } from './principal';

/** Attributes of the calling agent, asserted by the authenticated caller. */
export const sourceAgentSchema = z.object({
  type: z.string().min(1).optional(),
  trust_level: z.string().min(1).optional(),
  capabilities: z.array(z.string()).optional(),
  environment: z.string().min(1).optional(),
  attributes: jsonObjectSchema.optional(),
});

export const targetAgentSchema = z.object({
  environment: z.string().min(1).optional(),
  required_trust: z.string().min(1).optional(),
  attributes: jsonObjectSchema.optional(),
});

export const a2aRequestSchema = z
  .object({
    source_agent_id: z.string().min(1).optional().describe('Required unless agent_token names the agent'),
    target_agent_id: z.string().min(1),
    capability: z.string().min(1).describe('execute, query or delegate'),
    message_type: z.string().min(1).optional(),
    payload_metadata: jsonObjectSchema.optional(),
    target_environment: z.string().min(1).optional(),
    parameters: jsonObjectSchema.optional(),
    context: requestContextSchema
      .extend({ delegation_depth: z.number().int().min(0).optional() })
      .optional(),
    source_agent: sourceAgentSchema.optional(),
    target_agent: targetAgentSchema.optional(),
    agent_token: z.string().min(1).optional().describe("The source agent's JWT; its claims give the agent's attributes"),
    explain: z.boolean().optional(),
  })
  .superRefine((request, ctx) => {
    if (request.agent_token !== undefined && request.source_agent !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['agent_token'], message: 'give either source_agent or agent_token, not both' });
    }
    if (request.agent_token === undefined && request.source_agent_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['source_agent_id'], message: 'give source_agent_id or agent_token' });
    }
  });

export type A2aRequest = z.infer<typeof a2aRequestSchema>;
