import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { LocalPrincipal } from '../config/servers-file';
import type { SessionView } from '../mcp/request-dispatcher';
import { createSessionServer } from '../mcp/session-server';
import type { ProxyComponents } from '../proxy-components';

export interface StdioFront {
  /** Resolves when the client closes stdin (or the transport closes). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * The proxy as a stdio MCP server, for desktop clients that launch servers as subprocesses. There is
 * one session (this process's client) and its identity comes from configuration (`proxy.localPrincipal`).
 */
export async function startStdioFront(components: ProxyComponents, principal: LocalPrincipal, transport: Transport = new StdioServerTransport()): Promise<StdioFront> {
  const view: SessionView = {
    caller: { principal: { ...principal }, ip: '127.0.0.1', authenticatedBy: 'local', sessionId: 'stdio' },
    servers: components.pool.names(),
    aggregate: true,
    subscriptions: new Set(),
    notify: (notification) => void server.notification(notification as Parameters<Server['notification']>[0]).catch(() => undefined),
  };
  const server = createSessionServer(view, components.dispatcher);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  components.localSessions.add(view);
  await server.connect(transport);
  return {
    closed,
    async close() {
      components.localSessions.delete(view);
      components.dispatcher.sessionEnded(view);
      await server.close();
    },
  };
}
