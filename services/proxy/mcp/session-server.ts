import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SetLevelRequestSchema, type Implementation, type JSONRPCRequest, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Dispatcher, SessionView } from './request-dispatcher';

export const PROXY_INFO: Implementation = { name: 'mcp-authz-proxy', version: '0.1.0' };

export const AGGREGATE_CAPABILITIES: ServerCapabilities = {
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  logging: {},
  completions: {},
};

/**
 * The SDK server of one downstream session. It answers `initialize` and `ping` itself; every other
 * request goes to the dispatcher, including `logging/setLevel`, which the SDK would otherwise keep.
 */
export function createSessionServer(
  view: SessionView,
  dispatcher: Dispatcher,
  info: Implementation = PROXY_INFO,
  capabilities: ServerCapabilities = AGGREGATE_CAPABILITIES,
  instructions?: string,
): Server {
  const server = new Server(info, { capabilities, instructions });
  server.fallbackRequestHandler = (request, extra) => dispatcher.handle(view, request, extra);
  server.fallbackNotificationHandler = async () => undefined;
  if (capabilities.logging) {
    server.setRequestHandler(SetLevelRequestSchema, (request, extra) => dispatcher.handle(view, { jsonrpc: '2.0', id: extra.requestId, ...request } as JSONRPCRequest, extra) as never);
  }
  return server;
}
