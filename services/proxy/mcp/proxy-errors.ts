import { McpError } from '@modelcontextprotocol/sdk/types.js';

/** The proxy's JSON-RPC error codes (issue 8); clients see these instead of the upstream's or the PDP's internals. */
export const PROXY_ERROR = {
  denied: -32000,
  unavailable: -32001,
  notFound: -32002,
  unauthenticated: -32003,
  timeout: -32004,
  rateLimited: -32005,
} as const;

/**
 * A JSON-RPC error as the SDK's protocol layer sends it (it reads `code`, `message` and `data`). Unlike
 * McpError the message stays as written, so clients read "denied by policy", not "MCP error -32000: …".
 */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }
}

export function deniedError(reason: string, decisionId: string | undefined, reasons: string[] = [reason]): RpcError {
  return new RpcError(PROXY_ERROR.denied, 'denied by policy', { reason, reasons, decision_id: decisionId });
}

export function authorizationUnavailableError(): RpcError {
  return new RpcError(PROXY_ERROR.unavailable, 'authorization unavailable', { reason: 'authorization unavailable' });
}

export function upstreamUnavailableError(server: string): RpcError {
  return new RpcError(PROXY_ERROR.unavailable, `upstream server ${server} is unavailable`, { reason: 'upstream unavailable', server });
}

export function notFoundError(what: string): RpcError {
  return new RpcError(PROXY_ERROR.notFound, `${what} not found`, { reason: 'not found' });
}

export function timeoutError(server: string): RpcError {
  return new RpcError(PROXY_ERROR.timeout, `upstream server ${server} did not answer in time`, { reason: 'timeout', server });
}

export function rateLimitedError(retryAfterMs: number): RpcError {
  return new RpcError(PROXY_ERROR.rateLimited, 'rate limit exceeded', { reason: 'rate limit exceeded', retry_after_ms: retryAfterMs });
}

export function unauthenticatedError(message: string): RpcError {
  return new RpcError(PROXY_ERROR.unauthenticated, message, { reason: 'unauthenticated' });
}

/** An upstream's own error, passed on with its code, message (without the SDK's prefix) and data. */
export function relayedError(error: McpError): RpcError {
  return new RpcError(error.code, error.message.replace(/^MCP error -?\d+: /, ''), error.data);
}

export function errorCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && (error instanceof RpcError || error instanceof McpError) ? code : undefined;
}
