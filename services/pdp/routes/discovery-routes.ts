import { Router, type Request } from 'express';
import { HttpError, parseRequest } from '../../common';
import { toolsQuerySchema, type ToolSummary } from '../contracts/discovery';
import { principalSchema, type Principal } from '../contracts/principal';
import type { Decider } from '../decisions/decider';
import { catalogOf } from '../discovery/catalog';
import { gatewayInput } from '../inputs/gateway-input';
import { principalResolver } from '../principals/resolve-principal';
import { onEachPath } from './on-each-path';
import { decisionMeta } from '../endpoints/decision-meta';
import type { PdpServices } from '../endpoints/pdp-services';

export const SERVERS_PATHS = ['/v1/servers', '/api/v1/gateway/servers'];
export const TOOLS_PATHS = ['/v1/tools', '/api/v1/gateway/tools'];
export const SUBJECT_TOKEN_HEADER = 'x-subject-token';
export const PRINCIPAL_HEADER = 'x-principal';
export const CLIENT_IP_HEADER = 'x-client-ip';

/**
 * Discovery filtered to what the principal may use: a server when `tools/list` is allowed on it,
 * a tool when `tools/call` is. The principal comes from `X-Subject-Token` (a JWT) or `X-Principal` (JSON);
 * `context.ip` from `X-Client-IP` (the end user's address, as a gateway saw it) or else the caller's address.
 */
export function discoveryRouter(services: PdpServices): Router {
  const router = Router();

  onEachPath(router, 'get', SERVERS_PATHS, async (req, res) => {
    const principal = await principalOf(services, req);
    const bundle = services.bundles.current();
    const catalog = catalogOf(bundle?.data);
    const allowed = (server: string) => allows(services.decider, req, principal, { action: 'tools/list', server_name: server });
    res.json({ servers: catalog.servers.filter((server) => allowed(server.name)), revision: bundle?.revision ?? null });
  });

  onEachPath(router, 'get', TOOLS_PATHS, async (req, res) => {
    const query = parseRequest(toolsQuerySchema, req.query, 'query');
    const principal = await principalOf(services, req);
    const bundle = services.bundles.current();
    const catalog = catalogOf(bundle?.data);
    const servers = query.server_name !== undefined ? [query.server_name] : catalog.servers.map((server) => server.name);
    const tools: ToolSummary[] = [];
    for (const server of servers) {
      for (const tool of catalog.tools(server)) {
        if (allows(services.decider, req, principal, { action: 'tools/call', server_name: server, tool_name: tool.name })) tools.push(tool);
      }
    }
    res.json({ tools, revision: bundle?.revision ?? null });
  });

  return router;
}

function allows(decider: Decider, req: Request, principal: Principal, question: { action: string; server_name: string; tool_name?: string }): boolean {
  const ip = req.get(CLIENT_IP_HEADER) ?? req.socket.remoteAddress;
  const input = gatewayInput({ ...question, context: ip ? { ip } : {} }, principal, req.apiKey?.tenant);
  return decider.gateway(input, decisionMeta(req, input.principal.tenant, false)).allow;
}

async function principalOf(services: PdpServices, req: Request): Promise<Principal> {
  const token = req.get(SUBJECT_TOKEN_HEADER);
  const asserted = req.get(PRINCIPAL_HEADER);
  if (token === undefined && asserted === undefined) {
    throw new HttpError(400, 'invalid_request', 'no principal', [
      { path: 'headers', message: `send ${SUBJECT_TOKEN_HEADER} (a JWT) or ${PRINCIPAL_HEADER} (the principal as JSON)` },
    ]);
  }
  const principal = asserted === undefined ? undefined : parseRequest(principalSchema, parseJsonHeader(asserted), PRINCIPAL_HEADER);
  const resolution = await principalResolver(services.tokens)(principal, token);
  if (!resolution.ok) throw new HttpError(401, 'invalid_subject_token', resolution.reason);
  return resolution.principal;
}

function parseJsonHeader(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_request', `invalid ${PRINCIPAL_HEADER}`, [{ path: PRINCIPAL_HEADER, message: 'expected JSON' }]);
  }
}
