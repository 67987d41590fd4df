/**
 * Synchronous network calls for the (synchronous) evaluator: the call runs in a short-lived worker
 * thread while this thread blocks on Atomics.wait; the result comes back over a MessagePort read
 * with receiveMessageOnPort. Used only by http.send and net.lookup_ip_addr, both off by default.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
  maxBodyBytes: number;
  /** TLS settings for https: PEM texts, SNI name, and whether to skip certificate checks. */
  tls: { ca?: string; cert?: string; key?: string; servername?: string; insecure?: boolean };
}

export interface WireResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, flag, task } = workerData;
async function run() {
  if (task.kind === 'dns') {
    const found = await require('node:dns').promises.lookup(task.name, { all: true });
    return found.map((a) => a.address);
  }
  const r = task.request;
  const url = new URL(r.url);
  const lib = require(url.protocol === 'https:' ? 'node:https' : 'node:http');
  return await new Promise((resolve, reject) => {
    const tls = url.protocol === 'https:'
      ? { ca: r.tls.ca, cert: r.tls.cert, key: r.tls.key, servername: r.tls.servername, rejectUnauthorized: !r.tls.insecure }
      : {};
    const req = lib.request(url, { method: r.method, headers: r.headers, timeout: r.timeoutMs, ...tls }, (res) => {
      const chunks = [];
      let size = 0;
      res.on('data', (c) => {
        size += c.length;
        if (size > r.maxBodyBytes) { req.destroy(new Error('response body too large')); return; }
        chunks.push(c);
      });
      res.on('end', () => {
        const headers = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode, statusText: res.statusMessage || '', headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    req.on('error', reject);
    if (r.body !== null) req.write(r.body);
    req.end();
  });
}
run().then(
  (value) => port.postMessage({ ok: true, value }),
  (err) => port.postMessage({ ok: false, error: err && err.name === 'TimeoutError' ? 'timeout' : String((err && err.message) || err) }),
).finally(() => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); });
`;

function runBlocking<T>(task: unknown, timeoutMs: number): T {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { port: port2, flag, task },
    transferList: [port2],
  });
  worker.unref();
  try {
    // Worker start-up counts against the caller's timeout; allow it a little headroom.
    const waited = Atomics.wait(flag, 0, 0, timeoutMs + 1000);
    if (waited === 'timed-out') throw new Error('timeout');
    const message = receiveMessageOnPort(port1);
    if (!message) throw new Error('no response from network worker');
    const outcome = message.message as Outcome<T>;
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.value;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

export function sendRequestSync(request: WireRequest): WireResponse {
  return runBlocking<WireResponse>({ kind: 'http', request }, request.timeoutMs);
}

export function lookupHostSync(name: string, timeoutMs = 5000): string[] {
  return runBlocking<string[]>({ kind: 'dns', name }, timeoutMs);
}
