import { Readable } from 'node:stream';
import { HttpError } from '../../../common';

/** A JSON answer of the audit service, status included so routes can pass its errors on. */
export interface AuditAnswer {
  status: number;
  body: unknown;
}

/**
 * The audit service's HTTP API as the console uses it, with the PDP's own audit API key. The key goes
 * only to the audit service; nothing of it reaches the browser.
 */
export interface AuditApiClient {
  get(path: string, query?: Record<string, string>): Promise<AuditAnswer>;
  post(path: string, body: unknown): Promise<AuditAnswer>;
  /** A streamed GET (exports): status, content type, disposition and the body as a Node stream. */
  stream(path: string, query: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: Readable | null }>;
  /** The audit service's Prometheus text (SIEM sink health lives there). */
  metrics(): Promise<string>;
}

export interface AuditApiClientOptions {
  url: string;
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createAuditApiClient(options: AuditApiClientOptions): AuditApiClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(path: string, init: RequestInit & { query?: Record<string, string> } = {}): Promise<Response> {
    const search = new URLSearchParams(init.query ?? {}).toString();
    const headers: Record<string, string> = { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) };
    if (options.apiKey) headers.Authorization = `Bearer ${options.apiKey}`;
    try {
      return await doFetch(`${base}${path}${search ? `?${search}` : ''}`, { method: init.method ?? 'GET', headers, body: init.body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new HttpError(502, 'audit_unavailable', `the audit service at ${base} did not answer (${describe(error)})`);
    }
  }

  async function json(response: Response): Promise<AuditAnswer> {
    const text = await response.text();
    try {
      return { status: response.status, body: text ? JSON.parse(text) : null };
    } catch {
      throw new HttpError(502, 'audit_unavailable', `the audit service answered ${response.status} without JSON`);
    }
  }

  return {
    get: async (path, query) => json(await call(path, { query })),
    post: async (path, body) => json(await call(path, { method: 'POST', body: JSON.stringify(body) })),
    async stream(path, query) {
      const response = await call(path, { query });
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'content-disposition']) {
        const value = response.headers.get(name);
        if (value) headers[name] = value;
      }
      return { status: response.status, headers, body: response.body ? Readable.fromWeb(response.body as never) : null };
    },
    async metrics() {
      const response = await call('/metrics');
      if (!response.ok) throw new HttpError(502, 'audit_unavailable', `the audit service's /metrics answered ${response.status}`);
      return response.text();
    },
  };
}

function describe(error: unknown): string {
  const failure = error as Error & { cause?: { code?: string } };
  if (failure.name === 'TimeoutError') return 'timed out';
  return failure.cause?.code ?? failure.message;
}
