import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Splunk HEC endpoint for benchmarks: accepts every batch at once and counts the events in it. */
export interface CountingHec {
  url: string;
  events(): number;
  close(): Promise<void>;
}

export async function startCountingHec(token: string): Promise<CountingHec> {
  let events = 0;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Splunk ${token}`) {
      res.writeHead(403).end('{"text":"Invalid token","code":4}');
      return;
    }
    let count = 0;
    let tail = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      // Envelopes are newline-separated; each one opens with `{"time":`.
      const text = tail + chunk;
      count += text.split('{"time":').length - 1;
      tail = text.slice(-7);
    });
    req.on('end', () => {
      events += count;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events: () => events,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits until `count()` reaches `target`; resolves to the seconds it took, or undefined on timeout. */
export async function secondsUntil(count: () => number, target: number, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (count() < target) {
    if (Date.now() - started > timeoutMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (Date.now() - started) / 1000;
}
