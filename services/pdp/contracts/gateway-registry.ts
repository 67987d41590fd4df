import { z } from 'zod';
import { jsonObjectSchema } from './principal';

/** The MCP Gateway Registry's custom-authorizer request. */
export const registryAuthorizeRequestSchema = z.object({
  request: z.object({
    method: z.string().min(1),
    path: z.string().min(1),
    original_url: z.string().optional(),
    query_params: z.record(z.string(), z.unknown()).optional(),
    headers: z.record(z.string(), z.unknown()).optional(),
    body: z.union([z.string(), jsonObjectSchema, z.null()]).optional().describe('The JSON-RPC request, as text or parsed'),
    client_ip: z.string().optional(),
  }),
  native_auth_result: z
    .object({
      valid: z.boolean(),
      username: z.string().nullish(),
      scopes: z.array(z.string()).nullish(),
      groups: z.array(z.string()).nullish(),
      auth_method: z.string().nullish(),
      client_id: z.string().nullish(),
    })
    .nullable()
    .optional(),
  context: z
    .looseObject({
      timestamp: z.string().optional(),
      request_id: z.string().optional(),
      gateway_version: z.string().optional(),
    })
    .optional(),
});

export type RegistryAuthorizeRequest = z.infer<typeof registryAuthorizeRequestSchema>;

export const registryAuthorizeResponseSchema = z.object({
  authorized: z.boolean(),
  metadata: jsonObjectSchema.optional(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })),
    })
    .optional(),
});

export type RegistryAuthorizeResponse = z.infer<typeof registryAuthorizeResponseSchema>;
