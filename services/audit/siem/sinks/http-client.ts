import http from 'node:http';
import https from 'node:https';
import type { SinkTls } from '../sink-config';
import { allRejected, TransientSinkError, type DeliveryReport, type EncodedEvent } from '../delivery-report';
import { isTransientStatus, retryAfterMs } from '../retry-policy';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequest {
  method?: 'POST' | 'GET';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** Requests to one sink's base URL over keep-alive connections, each bounded by the sink's timeout. */
export interface SinkHttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** Longest response body kept (error descriptions); the rest is drained. */
const MAX_RESPONSE_BODY = 1_000_000;

export function createSinkHttpClient(baseUrl: string, options: { timeoutMs: number; tls?: SinkTls | undefined; maxSockets: number }): SinkHttpClient {
  const base = new URL(baseUrl);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        maxSockets: options.maxSockets,
        ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
        ...(options.tls?.cert ? { cert: options.tls.cert } : {}),
        ...(options.tls?.key ? { key: options.tls.key } : {}),
        ...(options.tls?.servername ? { servername: options.tls.servername } : {}),
        rejectUnauthorized: options.tls?.reject_unauthorized ?? true,
      })
    : new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const send = secure ? https.request : http.request;

  return {
    request: (request) =>
      new Promise<HttpResponse>((resolve, reject) => {
        const url = new URL(base);
        const [pathname = '', query] = request.path.split('?', 2);
        url.pathname = `${base.pathname.replace(/\/$/, '')}${pathname}` || '/';
        if (query !== undefined) url.search = `?${query}`;
        const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
        const req = send(
          url,
          {
            method: request.method ?? 'POST',
            agent,
            headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
            timeout: options.timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              if (size < MAX_RESPONSE_BODY) chunks.push(chunk);
              size += chunk.length;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', (error) => reject(new TransientSinkError(`response aborted: ${error.message}`)));
          },
        );
        // The whole exchange is bounded, not only idle time: a trickling sink must not hold a batch forever.
        const deadline = setTimeout(() => req.destroy(new TransientSinkError(`no response within ${options.timeoutMs} ms`)), options.timeoutMs);
        req.on('timeout', () => req.destroy(new TransientSinkError(`no response within ${options.timeoutMs} ms`)));
        req.on('error', (error) => reject(error instanceof TransientSinkError ? error : new TransientSinkError(`request failed: ${errorCode(error)}`)));
        req.on('close', () => clearTimeout(deadline));
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

function errorCode(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} ${error.message}` : error.message;
}

/** A short excerpt of a response body for `last_error` (sinks may echo request data; keep it brief). */
export function responseExcerpt(response: HttpResponse): string {
  const text = response.body.replace(/\s+/g, ' ').trim();
  return `HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
}

/**
 * A non-2xx answer to a whole request: transient statuses are thrown (retried, counted by the breaker),
 * the rest reject every event of the batch (a permanent 4xx: dead letters).
 */
export function failedRequestReport(response: HttpResponse, batch: readonly EncodedEvent[]): DeliveryReport {
  if (isTransientStatus(response.status)) {
    throw new TransientSinkError(responseExcerpt(response), retryAfterMs(headerValue(response.headers, 'retry-after')));
  }
  return allRejected(batch, responseExcerpt(response));
}

export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
