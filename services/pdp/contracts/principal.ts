import { z } from 'zod';

export const SENSITIVITY_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const PRINCIPAL_TYPES = ['user', 'agent', 'service'] as const;
/** Tenants name audit partitions: the audit contract's character set. */
export const TENANT_PATTERN = /^[A-Za-z0-9._:\-]+$/;

/** Who asks, as the policies' `input.principal` expects it. */
export const principalSchema = z.object({
  id: z.string().min(1),
  type: z.enum(PRINCIPAL_TYPES).default('user'),
  roles: z.array(z.string()).optional(),
  teams: z.array(z.string()).optional(),
  tenant: z.string().max(128).regex(TENANT_PATTERN, 'expected letters, digits, . _ : -').optional(),
  clearance: z.string().min(1).optional(),
  trust_level: z.string().min(1).optional(),
  timezone: z.string().min(1).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

export type Principal = z.infer<typeof principalSchema>;

/** `input.context`: known fields typed, anything else passed to the policy unchanged. */
export const requestContextSchema = z.looseObject({
  time: z.iso.datetime({ offset: true }).optional(),
  ip: z.string().min(1).optional(),
  session_id: z.string().min(1).optional(),
  request_id: z.string().min(1).optional(),
  timezone: z.string().min(1).optional(),
});

export type RequestContext = z.infer<typeof requestContextSchema>;

export const jsonObjectSchema = z.record(z.string(), z.unknown());

export const explainedRuleSchema = z.object({
  rule: z.string(),
  location: z.string(),
});
