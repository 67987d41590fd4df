import type { ApiKeyPrincipal, ErrorBody } from '../../common';

/** Who is calling: what the common middleware (or the fast path) established about the request. */
export interface Caller {
  requestId: string;
  apiKey?: ApiKeyPrincipal;
}

export interface EndpointCall {
  caller: Caller;
  /** The parsed JSON body (undefined when there was none). */
  readonly body: unknown;
  /** The body's text as received, on the fast path (not under express): the key of `preparedRequests`. */
  rawBody?: string;
  query: Record<string, unknown>;
  /** The segments matched by a trailing `*path`, decoded. */
  path: readonly string[];
}

export interface JsonReply {
  status?: number;
  body: unknown;
  /** Server-side decision time, sent as `Server-Timing: decision;dur=…`. */
  decisionMs?: number;
}

/**
 * A POST endpoint taking and answering JSON, independent of express, so the same function serves
 * the express router and the fast path. Failures are thrown as HttpError.
 */
export type JsonEndpoint = (call: EndpointCall) => JsonReply | Promise<JsonReply>;

export interface PostRoute {
  /** Express path patterns: literal paths, or a prefix followed by `/*path`. */
  paths: readonly string[];
  endpoint: JsonEndpoint;
  /** The dialect's form of an error answer (bad JSON, 401, 413, …), when it is not the common error body. */
  failureBody?: (error: ErrorBody) => unknown;
}
