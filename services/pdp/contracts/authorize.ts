import { z } from 'zod';
import { explainedRuleSchema, jsonObjectSchema, principalSchema, requestContextSchema, SENSITIVITY_LEVELS } from './principal';

/** The question's own fields; principal and context may also come from a batch's top level. */
const questionShape = {
  action: z.string().min(1).default('tools/call').describe('MCP method or gateway action (SARK `gateway:tool:invoke` is accepted)'),
  server_name: z.string().min(1).optional(),
  tool_name: z.string().min(1).optional(),
  resource_uri: z.string().min(1).optional(),
  prompt_name: z.string().min(1).optional(),
  parameters: jsonObjectSchema.optional().describe('Tool arguments'),
  gateway_metadata: jsonObjectSchema.optional(),
  definition_hash: z.string().min(1).max(200).optional().describe("Hash of the tool's definition as the proxy pinned it (resource.definition_hash)"),
  definition_changed: z.boolean().optional().describe('Whether that definition changed since it was approved (resource.definition_changed)'),
  sensitivity_level: z.enum(SENSITIVITY_LEVELS).optional(),
  context: requestContextSchema.optional(),
  principal: principalSchema.optional().describe('The principal, asserted by the authenticated caller'),
  subject_token: z.string().min(1).optional().describe("The end user's or agent's JWT, verified against the configured JWKS"),
  explain: z.boolean().optional().describe('Return which rules produced the decision'),
};

const ITEM_FIELDS = ['tool_name', 'resource_uri', 'prompt_name'] as const;

function oneItemAndOnePrincipalSource(
  question: { tool_name?: string; resource_uri?: string; prompt_name?: string; principal?: unknown; subject_token?: string },
  ctx: z.RefinementCtx,
): void {
  const items = ITEM_FIELDS.filter((field) => question[field] !== undefined);
  if (items.length > 1) ctx.addIssue({ code: 'custom', path: [items[1]], message: `give only one of ${ITEM_FIELDS.join(', ')}` });
  if (question.principal !== undefined && question.subject_token !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['subject_token'], message: 'give either principal or subject_token, not both' });
  }
}

export const authorizeQuestionSchema = z.object(questionShape).superRefine(oneItemAndOnePrincipalSource);

export const authorizeRequestSchema = authorizeQuestionSchema.superRefine((question, ctx) => {
  if (question.principal === undefined && question.subject_token === undefined) {
    ctx.addIssue({ code: 'custom', path: ['principal'], message: 'give principal or subject_token' });
  }
});

export type AuthorizeQuestion = z.infer<typeof authorizeQuestionSchema>;

/** The answer of `/v1/authorize` and `/v1/authorize-a2a` alike. */
export const authorizeResponseSchema = z.object({
  allow: z.boolean(),
  reason: z.string().describe('The first reason, for SARK clients'),
  reasons: z.array(z.string()),
  filtered_parameters: jsonObjectSchema.optional().describe('The parameters with secrets removed, when parameters were given'),
  obligations: jsonObjectSchema.optional(),
  cache_ttl: z.number().int().min(0),
  decision_id: z.string(),
  audit_id: z.string(),
  revision: z.string().nullable(),
  explanation: z.array(explainedRuleSchema).optional(),
});

export type AuthorizeResponse = z.infer<typeof authorizeResponseSchema>;

/** A decision document (`data.mcp.*.decision`) as the PDP reads it: the part of the answer the policy decides. */
export type DecisionDocument = Pick<AuthorizeResponse, 'allow' | 'reasons' | 'cache_ttl' | 'filtered_parameters' | 'obligations'>;

export const MAX_BATCH = 1000;

export const batchRequestSchema = z
  .object({
    principal: principalSchema.optional().describe('Default principal for every question'),
    subject_token: z.string().min(1).optional().describe('Default subject token for every question'),
    context: requestContextSchema.optional().describe('Default context for every question'),
    requests: z.array(authorizeQuestionSchema).min(1).max(MAX_BATCH),
  })
  .superRefine((batch, ctx) => {
    if (batch.principal !== undefined && batch.subject_token !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['subject_token'], message: 'give either principal or subject_token, not both' });
    }
    const hasDefault = batch.principal !== undefined || batch.subject_token !== undefined;
    batch.requests.forEach((question, index) => {
      if (!hasDefault && question.principal === undefined && question.subject_token === undefined) {
        ctx.addIssue({ code: 'custom', path: ['requests', index, 'principal'], message: 'give principal or subject_token (here or at the top level)' });
      }
    });
  });

export type BatchRequest = z.infer<typeof batchRequestSchema>;

export const batchResponseSchema = z.object({
  results: z.array(authorizeResponseSchema).describe('One answer per question, in order'),
});
