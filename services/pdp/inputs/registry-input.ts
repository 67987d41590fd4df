import type { RegistryAuthorizeRequest } from '../contracts/gateway-registry';
import type { Principal } from '../contracts/principal';
import type { GatewayInput } from './gateway-input';

export type RegistryMapping = { ok: true; input: GatewayInput } | { ok: false; code: string; reason: string };

interface JsonRpcCall {
  method?: unknown;
  params?: { name?: unknown; uri?: unknown; arguments?: unknown };
}

/**
 * The MCP Gateway Registry's request as a gateway question: the server is the first path segment,
 * the JSON-RPC body names the MCP method and the tool, resource or prompt.
 */
export function registryInput(request: RegistryAuthorizeRequest, principal: Principal): RegistryMapping {
  const server = request.request.path.split('/').find((segment) => segment.length > 0);
  if (server === undefined) return { ok: false, code: 'unknown_server', reason: 'the request path names no server' };
  const call = jsonRpcCall(request.request.body);
  if (call === undefined || typeof call.method !== 'string') return { ok: false, code: 'invalid_mcp_request', reason: 'the body is not a JSON-RPC request' };
  const resource: GatewayInput['resource'] = { server: decodedSegment(server) };
  const params = call.params ?? {};
  if (call.method === 'tools/call' && typeof params.name === 'string') resource.tool = params.name;
  if (call.method === 'prompts/get' && typeof params.name === 'string') resource.prompt = params.name;
  if (call.method.startsWith('resources/') && typeof params.uri === 'string') resource.uri = params.uri;
  const input: GatewayInput = { principal, action: call.method, resource, context: contextOf(request) };
  if (call.method === 'tools/call' && isObject(params.arguments)) input.parameters = params.arguments;
  return { ok: true, input };
}

/** The gateway's own authentication of the user, when it succeeded. */
export function nativePrincipal(request: RegistryAuthorizeRequest): Principal | undefined {
  const auth = request.native_auth_result;
  if (!auth?.valid) return undefined;
  const id = auth.username ?? auth.client_id;
  if (!id) return undefined;
  const attributes: Record<string, unknown> = {};
  if (auth.scopes) attributes.scopes = auth.scopes;
  if (auth.auth_method) attributes.auth_method = auth.auth_method;
  if (auth.client_id) attributes.client_id = auth.client_id;
  return { id, type: auth.username ? 'user' : 'service', roles: auth.groups ?? [], attributes };
}

/** A bearer token the client sent to the gateway, when the gateway did not authenticate the user itself. */
export function forwardedBearerToken(request: RegistryAuthorizeRequest): string | undefined {
  const headers = request.request.headers ?? {};
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const match = typeof value === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}

function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function contextOf(request: RegistryAuthorizeRequest): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  if (request.request.client_ip) context.ip = request.request.client_ip;
  if (request.context?.timestamp) context.time = request.context.timestamp;
  if (request.context?.request_id) context.request_id = request.context.request_id;
  return context;
}

function jsonRpcCall(body: unknown): JsonRpcCall | undefined {
  if (typeof body === 'string') {
    try {
      return jsonRpcCall(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  return isObject(body) ? (body as JsonRpcCall) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
