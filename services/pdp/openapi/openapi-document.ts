import { z } from 'zod';
import { errorBodySchema } from '../../common';
import type { Operation } from './pdp-operations';

type JsonSchema = Record<string, unknown>;

/** OpenAPI 3.1 from the zod schemas (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect). */
export function openApiDocument(operations: readonly Operation[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    paths[operation.path] ??= {};
    paths[operation.path][operation.method] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'mcp-authz policy decision point', version },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API key (mcp-authz keys create)' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { Error: schemaOf(errorBodySchema, 'output') },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  };
}

function operationObject(operation: Operation): JsonSchema {
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const result: JsonSchema = {
    summary: operation.summary,
    tags: [operation.tag],
    parameters: [...pathParameters(operation.path), ...queryParameters(operation.query), ...headerParameters(operation.headers)],
    responses: {
      200: { description: 'OK', content: { 'application/json': { schema: schemaOf(operation.response, 'output') } } },
      400: errorResponse('Invalid request (code invalid_request, details name each field)'),
      401: errorResponse('Missing, invalid, expired or revoked API key'),
      413: errorResponse('Request body too large'),
      500: errorResponse('Internal error'),
    },
  };
  if (operation.body) {
    result.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(operation.body, 'input') } } };
  }
  return result;
}

function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    description: 'Slash-separated document path, e.g. mcp/gateway/decision',
    schema: { type: 'string' },
  }));
}

function queryParameters(query: z.ZodObject | undefined): JsonSchema[] {
  if (!query) return [];
  const schema = schemaOf(query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function headerParameters(headers: Operation['headers']): JsonSchema[] {
  return (headers ?? []).map(({ name, description }) => ({ name, in: 'header', required: false, description, schema: { type: 'string' } }));
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}
