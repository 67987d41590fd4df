import { z } from 'zod';
import { a2aRequestSchema } from '../contracts/authorize-a2a';
import { authorizeRequestSchema, authorizeResponseSchema, batchRequestSchema, batchResponseSchema } from '../contracts/authorize';
import {
  authzenEvaluationRequestSchema,
  authzenEvaluationResponseSchema,
  authzenEvaluationsRequestSchema,
  authzenEvaluationsResponseSchema,
  authzenConfigurationSchema,
} from '../contracts/authzen';
import { dataQuerySchema, dataRequestSchema, dataResponseSchema } from '../contracts/data-api';
import { serversResponseSchema, toolsQuerySchema, toolsResponseSchema } from '../contracts/discovery';
import { registryAuthorizeRequestSchema, registryAuthorizeResponseSchema } from '../contracts/gateway-registry';

/** One documented operation: the same zod schemas the routes validate with. */
export interface Operation {
  method: 'get' | 'post';
  /** OpenAPI path (`{name}` parameters). */
  path: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  response: z.ZodType;
  /** Headers that carry the principal (discovery). */
  headers?: { name: string; description: string }[];
}

const PRINCIPAL_HEADERS = [
  { name: 'X-Subject-Token', description: "The end user's or agent's JWT" },
  { name: 'X-Principal', description: 'The principal as JSON, asserted by the authenticated caller' },
];

const gatewayAuthorize = { summary: 'Authorize one MCP request (SARK-compatible superset)', tag: 'gateway', body: authorizeRequestSchema, response: authorizeResponseSchema };
const a2aAuthorize = { summary: 'Authorize an agent-to-agent call', tag: 'gateway', body: a2aRequestSchema, response: authorizeResponseSchema };
const servers = { summary: 'Servers the principal may use', tag: 'discovery', response: serversResponseSchema, headers: PRINCIPAL_HEADERS };
const tools = { summary: 'Tools the principal may call', tag: 'discovery', query: toolsQuerySchema, response: toolsResponseSchema, headers: PRINCIPAL_HEADERS };
const dataPost = { summary: "The document data.{path} for an input (OPA's data API); {} when undefined", tag: 'opa', body: dataRequestSchema, query: dataQuerySchema, response: dataResponseSchema };
const dataGet = { summary: "The document data.{path} (OPA's data API); ?input= takes the input as JSON", tag: 'opa', query: dataQuerySchema, response: dataResponseSchema };

export const PDP_OPERATIONS: readonly Operation[] = [
  { method: 'post', path: '/v1/authorize', ...gatewayAuthorize },
  { method: 'post', path: '/api/v1/gateway/authorize', ...gatewayAuthorize, summary: 'SARK alias of /v1/authorize' },
  { method: 'post', path: '/v1/authorize-a2a', ...a2aAuthorize },
  { method: 'post', path: '/api/v1/gateway/authorize-a2a', ...a2aAuthorize, summary: 'SARK alias of /v1/authorize-a2a' },
  { method: 'post', path: '/v1/authorize/batch', summary: 'Up to 1000 questions, answered in order', tag: 'gateway', body: batchRequestSchema, response: batchResponseSchema },
  { method: 'get', path: '/v1/servers', ...servers },
  { method: 'get', path: '/api/v1/gateway/servers', ...servers, summary: 'SARK alias of /v1/servers' },
  { method: 'get', path: '/v1/tools', ...tools },
  { method: 'get', path: '/api/v1/gateway/tools', ...tools, summary: 'SARK alias of /v1/tools' },
  { method: 'post', path: '/v1/data', ...dataPost },
  { method: 'post', path: '/v1/data/{path}', ...dataPost },
  { method: 'get', path: '/v1/data', ...dataGet },
  { method: 'get', path: '/v1/data/{path}', ...dataGet },
  { method: 'post', path: '/access/v1/evaluation', summary: 'AuthZEN 1.0 access evaluation', tag: 'authzen', body: authzenEvaluationRequestSchema, response: authzenEvaluationResponseSchema },
  { method: 'post', path: '/access/v1/evaluations', summary: 'AuthZEN 1.0 access evaluations', tag: 'authzen', body: authzenEvaluationsRequestSchema, response: authzenEvaluationsResponseSchema.or(authzenEvaluationResponseSchema) },
  { method: 'get', path: '/.well-known/authzen-configuration', summary: 'AuthZEN PDP metadata', tag: 'authzen', response: authzenConfigurationSchema },
  { method: 'post', path: '/authorize', summary: "MCP Gateway Registry custom authorizer", tag: 'gateway-registry', body: registryAuthorizeRequestSchema, response: registryAuthorizeResponseSchema },
];
