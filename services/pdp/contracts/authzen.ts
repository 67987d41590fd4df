import { z } from 'zod';
import { jsonObjectSchema } from './principal';

/** OpenID AuthZEN Authorization API 1.0: subject, action, resource, context. */
export const authzenSubjectSchema = z.object({
  type: z.string().min(1).describe('user, agent or service'),
  id: z.string().min(1),
  properties: jsonObjectSchema.optional().describe('roles, teams, tenant, clearance, trust_level, timezone, attributes'),
});

export const authzenActionSchema = z.object({
  name: z.string().min(1).describe('The MCP method, e.g. tools/call'),
  properties: jsonObjectSchema.optional().describe('parameters: the tool arguments'),
});

export const authzenResourceSchema = z.object({
  type: z.string().min(1).describe('tool, resource, prompt or server'),
  id: z.string().min(1),
  properties: jsonObjectSchema.optional().describe('server (for tools, resources and prompts), sensitivity'),
});

export const authzenEvaluationRequestSchema = z.object({
  subject: authzenSubjectSchema,
  action: authzenActionSchema,
  resource: authzenResourceSchema,
  context: jsonObjectSchema.optional(),
});

export type AuthzenEvaluationRequest = z.infer<typeof authzenEvaluationRequestSchema>;

export const EVALUATIONS_SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;

export const authzenEvaluationsRequestSchema = z.object({
  subject: authzenSubjectSchema.optional(),
  action: authzenActionSchema.optional(),
  resource: authzenResourceSchema.optional(),
  context: jsonObjectSchema.optional(),
  evaluations: z
    .array(
      z.object({
        subject: authzenSubjectSchema.optional(),
        action: authzenActionSchema.optional(),
        resource: authzenResourceSchema.optional(),
        context: jsonObjectSchema.optional(),
      }),
    )
    .max(1000)
    .optional(),
  options: z.looseObject({ evaluations_semantic: z.enum(EVALUATIONS_SEMANTICS).optional() }).optional(),
});

export type AuthzenEvaluationsRequest = z.infer<typeof authzenEvaluationsRequestSchema>;

export const authzenEvaluationResponseSchema = z.object({
  decision: z.boolean(),
  context: z
    .object({
      id: z.string(),
      reason_admin: z.object({ en: z.string() }).optional(),
      reasons: z.array(z.string()),
      revision: z.string().nullable(),
    })
    .optional(),
});

export const authzenEvaluationsResponseSchema = z.object({
  evaluations: z.array(authzenEvaluationResponseSchema),
});

export type AuthzenEvaluationResponse = z.infer<typeof authzenEvaluationResponseSchema>;

/** `GET /.well-known/authzen-configuration`: the PDP metadata AuthZEN clients discover endpoints from. */
export const authzenConfigurationSchema = z.object({
  policy_decision_point: z.string(),
  access_evaluation_endpoint: z.string(),
  access_evaluations_endpoint: z.string(),
});

export type AuthzenConfiguration = z.infer<typeof authzenConfigurationSchema>;
