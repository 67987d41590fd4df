import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (still compressed when it was). */
  raw: Buffer;
  /** The body decompressed when `content-encoding: gzip`. */
  body: string;
  /** When the request arrived (Date.now()). */
  at: number;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Answers one request; the protocol fakes build on it. */
export type Handler = (request: ReceivedRequest) => FakeResponse;

export interface FakeHttpReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** The next `count` requests get this answer instead of the protocol's (outages, throttling). */
  failNext(count: number, response: FakeResponse): void;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (on `port` when given, to come back where a sink expects it). */
export async function startFakeHttpReceiver(handler: Handler, port = 0): Promise<FakeHttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const failures: FakeResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body, at: Date.now() };
      requests.push(request);
      const response = failures.shift() ?? handler(request);
      const text = response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    failNext: (count, response) => {
      for (let i = 0; i < count; i++) failures.push(response);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (yet): a sink that is down. */
export async function unusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until `condition` holds (events arrive asynchronously); throws with `what` after the timeout. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
