import { z } from 'zod';
import { HttpError } from '../../../common';
import { toolPinDecisionAnswerSchema, toolPinsListSchema, type ToolPinDecision } from '../../../common/contracts/tool-pins';
import { ToolApprovalConflict, UnknownTool, type PinnedTool, type ToolApprovals } from './tool-approvals';

export interface ProxyToolApprovalsOptions {
  /** The proxy's base URL (`PROXY_URL`). */
  url: string;
  /** The PDP's key for the proxy (`PROXY_API_KEY`); deciding needs one with the admin role. */
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

// The proxy's answers are checked against the contract both sides share (services/common/contracts/tool-pins.ts);
// the services talk over HTTP only.
const errorSchema = z.object({ error: z.object({ message: z.string() }) });

/**
 * Tool approvals through the proxy's tool pins API with the PDP's own proxy key, which never reaches
 * the browser. A proxy that does not answer, or refuses the key, is a 502 that says which.
 */
export function proxyToolApprovals(options: ProxyToolApprovalsOptions): ToolApprovals {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    if (options.apiKey) headers.Authorization = `Bearer ${options.apiKey}`;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new HttpError(502, 'proxy_unreachable', `the proxy at ${base} did not answer (${describe(error)}): check PROXY_URL`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new HttpError(502, 'proxy_unavailable', `the proxy refused the PDP’s key (${response.status}): set PROXY_API_KEY for the PDP to a proxy key with the admin role`);
    }
    const text = await response.text();
    try {
      return { status: response.status, json: text ? JSON.parse(text) : null };
    } catch {
      throw new HttpError(502, 'proxy_unavailable', `the proxy answered ${response.status} without JSON: is PROXY_URL the proxy?`);
    }
  }

  async function decide(action: 'approve' | 'reject', server: string, tool: string, observedHash: string, by: string): Promise<PinnedTool> {
    const decision: ToolPinDecision = { server, tool, observed_hash: observedHash, by };
    const answer = await call(`/v1/tools/${action}`, decision);
    if (answer.status === 404) throw new UnknownTool(server, tool);
    if (answer.status === 409) throw new ToolApprovalConflict(messageOf(answer.json) ?? `${server}/${tool} changed again`);
    return answerAs(toolPinDecisionAnswerSchema, answer).tool;
  }

  return {
    source: base,
    async list() {
      return answerAs(toolPinsListSchema, await call('/v1/tools/pins')).tools;
    },
    approve: (server, tool, observedHash, by) => decide('approve', server, tool, observedHash, by),
    reject: (server, tool, observedHash, by) => decide('reject', server, tool, observedHash, by),
  };
}

function answerAs<S extends z.ZodType>(schema: S, answer: { status: number; json: unknown }): z.infer<S> {
  const parsed = answer.status === 200 ? schema.safeParse(answer.json) : undefined;
  if (parsed?.success) return parsed.data;
  const message = messageOf(answer.json);
  throw new HttpError(502, 'proxy_unavailable', `the proxy's tool pins API answered ${answer.status}${message ? `: ${message}` : ' with an unexpected body'}`);
}

function messageOf(json: unknown): string | undefined {
  const parsed = errorSchema.safeParse(json);
  return parsed.success ? parsed.data.error.message : undefined;
}

function describe(error: unknown): string {
  const failure = error as Error & { cause?: { code?: string } };
  if (failure.name === 'TimeoutError') return 'timed out';
  return failure.cause?.code ?? failure.message;
}
