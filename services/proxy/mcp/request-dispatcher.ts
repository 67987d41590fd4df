import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ErrorCode,
  ResultSchema,
  type JSONRPCRequest,
  type Notification,
  type Result,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../common';
import type { RequestAudit, RequestRecord } from '../audit/request-audit';
import type { Authorizer, Verdict } from '../enforcement/authorizer';
import type { Caller } from '../enforcement/caller';
import type { PdpQuestion } from '../pdp-client/pdp-contract';
import type { ToolPins } from '../pinning/tool-pins';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import type { Attribution, RequestOrigin, Upstream, UpstreamEvents } from '../upstreams/upstream';
import type { UpstreamPool } from '../upstreams/upstream-pool';
import { exposedName, parseExposedName } from './item-names';
import { createUpstreamCatalog } from './upstream-catalog';
import { deniedError, errorCodeOf, notFoundError, PROXY_ERROR, rateLimitedError, RpcError, upstreamUnavailableError } from './proxy-errors';
import type { ProxyMetrics } from './proxy-metrics';

/** One downstream MCP session as the dispatcher sees it. */
export interface SessionView {
  caller: Caller;
  /** Upstreams this session reaches: all on `/mcp`, one on `/mcp/{server}`. */
  servers: readonly string[];
  aggregate: boolean;
  subscriptions: Set<string>;
  notify(notification: Notification): void;
}

export type DownstreamExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface DispatcherDeps {
  pool: () => UpstreamPool;
  authorizer: Authorizer;
  pins: ToolPins;
  limiter: RateLimiter;
  audit: RequestAudit;
  metrics: ProxyMetrics;
  logger: Logger;
  sessions: () => Iterable<SessionView>;
}

export interface Dispatcher extends UpstreamEvents {
  handle(session: SessionView, request: JSONRPCRequest, extra: DownstreamExtra): Promise<Result>;
  /** After a session ended (no longer among `sessions`): ends the upstream subscriptions only it held. */
  sessionEnded(session: SessionView): void;
}

type Params = Record<string, unknown>;

const LIST_CHANGED = new Set(['notifications/tools/list_changed', 'notifications/prompts/list_changed', 'notifications/resources/list_changed']);

/** Why a server-to-client request of a shared upstream goes to no client (see `Attribution`). */
const UNATTRIBUTED: Record<NonNullable<Attribution['unattributed']>, string> = {
  outside: 'the server sent this request outside any client request that is waiting on it',
  none: 'no client request is waiting on this server to relay to',
  ambiguous: 'requests of several client sessions are waiting on this server, and its transport does not say which one this request belongs to',
};

/**
 * Where every MCP request is enforced: it finds the upstream, asks the PDP, forwards or refuses, and
 * records the outcome. List results are filtered item by item with one batch decision.
 */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const catalog = createUpstreamCatalog(deps.pool);
  const restarting = new Set<string>();

  async function handle(session: SessionView, request: JSONRPCRequest, extra: DownstreamExtra): Promise<Result> {
    const started = process.hrtime.bigint();
    const record: RequestRecord = { caller: session.caller, method: request.method, latencyMs: 0, outcome: 'ok', requestId: String(extra.requestId) };
    try {
      await takeToken(session.caller);
      return await route(session, request.method, (request.params ?? {}) as Params, extra, record);
    } catch (error) {
      record.outcome = outcomeOf(error);
      if (record.outcome === 'error') deps.logger.warn({ err: error, method: request.method }, 'request failed');
      throw error;
    } finally {
      finish(record, started);
    }
  }

  /** Metrics, audit and one log line per request: what an operator watching `npm start` sees. */
  function finish(record: RequestRecord, started: bigint): void {
    record.latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    deps.metrics.request(record.method, record.outcome, record.latencyMs / 1000);
    deps.audit.record(record);
    if (record.decision === undefined && record.outcome === 'ok') return;
    deps.logger.info(
      {
        principal: record.caller?.principal.id,
        method: record.method,
        server: record.server,
        item: record.tool ?? record.prompt ?? record.uri,
        decision: record.decision,
        reason: record.decision === 'deny' ? record.reason : undefined,
        outcome: record.outcome,
        latency_ms: Math.round(record.latencyMs * 1000) / 1000,
      },
      record.decision === 'deny' ? 'mcp request denied' : record.outcome === 'ok' ? 'mcp request allowed' : 'mcp request failed',
    );
  }

  function route(session: SessionView, method: string, params: Params, extra: DownstreamExtra, record: RequestRecord): Promise<Result> {
    switch (method) {
      case 'tools/list':
        return listTools(session, record);
      case 'tools/call':
        return callTool(session, params, extra, record);
      case 'prompts/list':
        return listPrompts(session, record);
      case 'prompts/get':
        return getPrompt(session, params, extra, record);
      case 'resources/list':
        return listResources(session, record);
      case 'resources/templates/list':
        return listTemplates(session, record);
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        return resourceRequest(session, method, params, extra, record);
      case 'completion/complete':
        return complete(session, params, extra, record);
      case 'logging/setLevel':
        return setLevel(session, params, extra, record);
      default:
        if (session.aggregate) throw new RpcError(ErrorCode.MethodNotFound, `method ${method} is not supported on the aggregated endpoint`);
        return authorizedForward(session, session.servers[0], method, params, { action: method, server_name: session.servers[0] }, extra, record);
    }
  }

  // ---- tools

  async function listTools(session: SessionView, record: RequestRecord): Promise<Result> {
    const listed = await perUpstream(session, async (upstream) => {
      const all = await catalog.tools(upstream);
      return all.flatMap((tool) => {
        const pin = deps.pins.observe(upstream.name, tool);
        return pin.changed ? [] : [{ server: upstream.name, item: tool, hash: pin.hash }];
      });
    });
    const verdicts = await deps.authorizer.decideMany(
      session.caller,
      listed.map(({ server, item, hash }) => ({ action: 'tools/call', server_name: server, tool_name: item.name, definition_hash: hash, definition_changed: false })),
      record.requestId,
    );
    return { tools: allowedOnly(listed, verdicts, record).map(({ server, item }) => ({ ...item, name: exposedName(server, item.name, session.aggregate) })) };
  }

  async function callTool(session: SessionView, params: Params, extra: DownstreamExtra, record: RequestRecord): Promise<Result> {
    const requested = String(params.name ?? '');
    const target = parseExposedName(requested, session.servers, session.aggregate);
    if (!target) throw notFoundError(`tool ${requested}`);
    record.server = target.server;
    record.tool = target.name;
    const upstream = readyUpstream(target.server);
    const tool = await catalog.tool(upstream, target.name);
    if (!tool) throw notFoundError(`tool ${requested}`);
    const pin = deps.pins.observe(target.server, tool);
    const args = isObject(params.arguments) ? params.arguments : {};
    const verdict = await decide(session.caller, record, {
      action: 'tools/call',
      server_name: target.server,
      tool_name: target.name,
      parameters: args,
      definition_hash: pin.hash,
      definition_changed: pin.changed,
    });
    if (pin.changed) {
      record.decision = 'deny';
      record.reason = 'tool definition changed since it was approved';
      throw deniedError(`the definition of tool ${target.name} on server ${target.server} changed since it was approved (mcp-authz tools approve ${target.server} ${target.name})`, verdict.decisionId);
    }
    const forwarded = verdict.filteredParameters ?? args;
    record.arguments = forwarded;
    return forward(session, upstream, 'tools/call', { ...params, name: target.name, arguments: forwarded }, extra);
  }


  // ---- prompts

  async function listPrompts(session: SessionView, record: RequestRecord): Promise<Result> {
    const listed = await perUpstream(session, async (upstream) => {
      if (!upstream.capabilities()?.prompts) return [];
      const prompts = await catalog.prompts(upstream);
      return prompts.map((item) => ({ server: upstream.name, item }));
    });
    const verdicts = await deps.authorizer.decideMany(session.caller, listed.map(({ server, item }) => ({ action: 'prompts/get', server_name: server, prompt_name: item.name })), record.requestId);
    return { prompts: allowedOnly(listed, verdicts, record).map(({ server, item }) => ({ ...item, name: exposedName(server, item.name, session.aggregate) })) };
  }

  async function getPrompt(session: SessionView, params: Params, extra: DownstreamExtra, record: RequestRecord): Promise<Result> {
    const requested = String(params.name ?? '');
    const target = parseExposedName(requested, session.servers, session.aggregate);
    if (!target) throw notFoundError(`prompt ${requested}`);
    record.server = target.server;
    record.prompt = target.name;
    const upstream = readyUpstream(target.server);
    const args = isObject(params.arguments) ? params.arguments : undefined;
    await decide(session.caller, record, { action: 'prompts/get', server_name: target.server, prompt_name: target.name, ...(args ? { parameters: args } : {}) });
    return forward(session, upstream, 'prompts/get', { ...params, name: target.name }, extra);
  }

  // ---- resources

  async function listResources(session: SessionView, record: RequestRecord): Promise<Result> {
    const listed = await perUpstream(session, async (upstream) => {
      if (!upstream.capabilities()?.resources) return [];
      const resources = await catalog.resources(upstream);
      return resources.map((item) => ({ server: upstream.name, item }));
    });
    const verdicts = await deps.authorizer.decideMany(session.caller, listed.map(({ server, item }) => ({ action: 'resources/read', server_name: server, resource_uri: item.uri })), record.requestId);
    return { resources: allowedOnly(listed, verdicts, record).map(({ item }) => item) };
  }

  async function listTemplates(session: SessionView, record: RequestRecord): Promise<Result> {
    const listed = await perUpstream(session, async (upstream) => {
      if (!upstream.capabilities()?.resources) return [];
      const found = await catalog.templates(upstream);
      return found.map((item) => ({ server: upstream.name, item }));
    });
    const verdicts = await deps.authorizer.decideMany(session.caller, listed.map(({ server, item }) => ({ action: 'resources/read', server_name: server, resource_uri: item.uriTemplate })), record.requestId);
    return { resourceTemplates: allowedOnly(listed, verdicts, record).map(({ item }) => item) };
  }

  async function resourceRequest(session: SessionView, method: string, params: Params, extra: DownstreamExtra, record: RequestRecord): Promise<Result> {
    const uri = String(params.uri ?? '');
    record.uri = uri;
    const server = await ownerOf(session, uri);
    if (!server) throw notFoundError(`resource ${uri}`);
    record.server = server;
    const upstream = readyUpstream(server);
    if (method === 'resources/unsubscribe') {
      session.subscriptions.delete(uri);
      // Sessions share the upstream's subscription: it ends when the last of them unsubscribes.
      if (subscribedElsewhere(server, uri)) return {};
      return forward(session, upstream, method, params, extra);
    }
    await decide(session.caller, record, { action: method, server_name: server, resource_uri: uri });
    if (method === 'resources/subscribe') session.subscriptions.add(uri);
    return forward(session, upstream, method, params, extra);
  }

  function subscribedElsewhere(server: string, uri: string): boolean {
    for (const other of deps.sessions()) if (other.subscriptions.has(uri) && other.servers.includes(server)) return true;
    return false;
  }

  async function unsubscribeLeftovers(session: SessionView): Promise<void> {
    for (const uri of session.subscriptions) {
      const server = await ownerOf(session, uri);
      const upstream = server === undefined ? undefined : deps.pool().get(server);
      if (!server || upstream?.state() !== 'ready' || subscribedElsewhere(server, uri)) continue;
      await upstream.request('resources/unsubscribe', { uri }).catch((error: unknown) => {
        deps.logger.debug({ upstream: server, uri, err: error }, 'ending the subscription of a closed session failed');
      });
    }
  }

  /** The upstream serving a URI: the only one on `/mcp/{server}`, else the one that listed it or whose template matches it. */
  async function ownerOf(session: SessionView, uri: string): Promise<string | undefined> {
    return session.aggregate ? catalog.ownerOf(session.servers, uri) : session.servers[0];
  }

  // ---- completion and logging

  async function complete(session: SessionView, params: Params, extra: DownstreamExtra, record: RequestRecord): Promise<Result> {
    const ref = isObject(params.ref) ? params.ref : {};
    let server: string | undefined;
    let forwardedRef = ref;
    if (ref.type === 'ref/prompt') {
      const target = parseExposedName(String(ref.name ?? ''), session.servers, session.aggregate);
      server = target?.server;
      if (target) forwardedRef = { ...ref, name: target.name };
      record.prompt = target?.name;
    } else if (ref.type === 'ref/resource') {
      record.uri = String(ref.uri ?? '');
      server = await ownerOf(session, record.uri);
    }
    if (!server) throw notFoundError('completion reference');
    record.server = server;
    return authorizedForward(session, server, 'completion/complete', { ...params, ref: forwardedRef }, { action: 'completion/complete', server_name: server }, extra, record);
  }

  async function setLevel(session: SessionView, params: Params, extra: DownstreamExtra, record: RequestRecord): Promise<Result> {
    if (!session.aggregate) {
      return authorizedForward(session, session.servers[0], 'logging/setLevel', params, { action: 'logging/setLevel', server_name: session.servers[0] }, extra, record);
    }
    const upstreams = session.servers.map((server) => deps.pool().get(server)).filter((upstream): upstream is Upstream => upstream?.state() === 'ready' && Boolean(upstream.capabilities()?.logging));
    const verdicts = await deps.authorizer.decideMany(session.caller, upstreams.map((upstream) => ({ action: 'logging/setLevel', server_name: upstream.name })), record.requestId);
    const allowed = upstreams.filter((_upstream, index) => verdicts[index].allow);
    if (upstreams.length > 0 && allowed.length === 0) {
      record.decision = 'deny';
      record.reason = verdicts[0].reason;
      throw deniedError(verdicts[0].reason, verdicts[0].decisionId, verdicts[0].reasons);
    }
    record.decision = 'allow';
    await Promise.all(allowed.map((upstream) => forward(session, upstream, 'logging/setLevel', params, extra)));
    return {};
  }

  // ---- shared steps

  async function authorizedForward(
    session: SessionView,
    server: string,
    method: string,
    params: Params,
    question: PdpQuestion,
    extra: DownstreamExtra,
    record: RequestRecord,
  ): Promise<Result> {
    record.server = server;
    const upstream = readyUpstream(server);
    await decide(session.caller, record, question);
    return forward(session, upstream, method, params, extra);
  }

  /** Asks the PDP and throws the -32000 error when it denies; the record gets the decision either way. */
  async function decide(caller: Caller, record: RequestRecord, question: PdpQuestion): Promise<Verdict> {
    const verdict = await deps.authorizer.decide(caller, question, record.requestId);
    record.decision = verdict.allow ? 'allow' : 'deny';
    record.reason = verdict.reason;
    record.decisionId = verdict.decisionId;
    record.revision = verdict.revision;
    if (!verdict.allow) throw deniedError(verdict.reason, verdict.decisionId, verdict.reasons);
    return verdict;
  }

  async function takeToken(caller: Caller): Promise<void> {
    const outcome = await deps.limiter.take(`${caller.principal.tenant ?? 'default'}:${caller.principal.id}`);
    if (!outcome.allowed) throw rateLimitedError(outcome.retryAfterMs);
  }

  async function forward(session: SessionView, upstream: Upstream, method: string, params: Params, extra: DownstreamExtra): Promise<Result> {
    const progressToken = extra._meta?.progressToken;
    const origin: RequestOrigin = {
      caller: session.caller,
      notify: (notification) => void extra.sendNotification(notification as ServerNotification).catch(() => undefined),
      relay: (relayMethod, relayParams, signal) => extra.sendRequest({ method: relayMethod, params: relayParams } as ServerRequest, ResultSchema, { signal }),
    };
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    // Progress relayed before the result must reach the client before it: the result ends the stream.
    let relayed: Promise<unknown> = Promise.resolve();
    try {
      const result = await upstream.request(method, params, {
        signal: extra.signal,
        origin,
        onprogress:
          progressToken === undefined
            ? undefined
            : (progress) => {
                relayed = Promise.all([relayed, extra.sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken } }).catch(() => undefined)]);
              },
      });
      await relayed;
      return result;
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      deps.metrics.upstream(upstream.name, method, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  function readyUpstream(server: string): Upstream {
    const upstream = deps.pool().get(server);
    if (!upstream || upstream.state() !== 'ready') throw upstreamUnavailableError(server);
    return upstream;
  }

  /** Runs a list step on every upstream in scope. On `/mcp` an unavailable upstream is left out; on `/mcp/{server}` it is an error. */
  async function perUpstream<T>(session: SessionView, list: (upstream: Upstream) => Promise<T[]>): Promise<T[]> {
    if (!session.aggregate) return list(readyUpstream(session.servers[0]));
    const results = await Promise.allSettled(
      session.servers.map((server) => deps.pool().get(server)).filter((upstream): upstream is Upstream => upstream?.state() === 'ready').map(list),
    );
    return results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
  }

  // ---- server-to-client traffic

  async function onServerRequest(upstream: Upstream, request: JSONRPCRequest, attribution: Attribution, signal: AbortSignal): Promise<Result> {
    const { origin } = attribution;
    // A shared upstream asking for roots outside any client request (e.g. right after it initializes)
    // belongs to no client: it learns no roots rather than someone else's.
    if (!origin && request.method === 'roots/list') return { roots: [] };
    const started = process.hrtime.bigint();
    const record: RequestRecord = { caller: origin?.caller, method: request.method, server: upstream.name, latencyMs: 0, outcome: 'ok' };
    try {
      if (attribution.unattributed) throw new RpcError(PROXY_ERROR.unavailable, UNATTRIBUTED[attribution.unattributed], { reason: 'no client to relay to' });
      await decide(attribution.origin.caller, record, { action: request.method, server_name: upstream.name });
      return await attribution.origin.relay(request.method, request.params as Params | undefined, signal);
    } catch (error) {
      record.outcome = outcomeOf(error);
      throw error;
    } finally {
      finish(record, started);
    }
  }

  function onNotification(upstream: Upstream, notification: Notification, { origin }: Attribution): void {
    if (LIST_CHANGED.has(notification.method)) {
      if (notification.method === 'notifications/tools/list_changed') catalog.forgetTools(upstream.name);
      for (const session of deps.sessions()) if (session.servers.includes(upstream.name)) session.notify(notification);
      return;
    }
    if (notification.method === 'notifications/resources/updated') {
      const uri = (notification.params as { uri?: unknown } | undefined)?.uri;
      for (const session of deps.sessions()) if (typeof uri === 'string' && session.subscriptions.has(uri) && session.servers.includes(upstream.name)) session.notify(notification);
      return;
    }
    // Log messages of a shared upstream go only to the client whose request is running, never to everyone.
    if (notification.method === 'notifications/message' && origin) {
      origin.notify(notification);
      return;
    }
    deps.logger.debug({ upstream: upstream.name, method: notification.method }, 'upstream notification not relayed');
  }

  return {
    handle,
    sessionEnded: (session) => void unsubscribeLeftovers(session),
    onServerRequest,
    onNotification,
    onStateChange(upstream, state) {
      if (state !== 'ready') {
        catalog.forgetTools(upstream.name);
        restarting.add(upstream.name);
        return;
      }
      // A restarted server may list other tools than before: its clients should ask again.
      if (!restarting.delete(upstream.name)) return;
      for (const method of ['notifications/tools/list_changed', 'notifications/prompts/list_changed', 'notifications/resources/list_changed']) {
        onNotification(upstream, { method }, { unattributed: 'outside' });
      }
    },
  };
}

/** The items the policy allows; the record gets how many were listed and how many are shown. */
function allowedOnly<T>(items: T[], verdicts: Verdict[], record: RequestRecord): T[] {
  const allowed = items.filter((_item, index) => verdicts[index]?.allow === true);
  record.extra = { listed: items.length, shown: allowed.length };
  return allowed;
}

function isObject(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const OUTCOMES: Record<number, string> = {
  [PROXY_ERROR.denied]: 'denied',
  [PROXY_ERROR.unavailable]: 'unavailable',
  [PROXY_ERROR.notFound]: 'not_found',
  [PROXY_ERROR.timeout]: 'timeout',
  [PROXY_ERROR.rateLimited]: 'rate_limited',
};

function outcomeOf(error: unknown): string {
  const code = errorCodeOf(error);
  return code === undefined ? 'error' : (OUTCOMES[code] ?? 'upstream_error');
}
