import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BuiltinHardError } from '../../errors';
import { fromJSON } from '../../value';
import { context, invoke, invokeJSON } from './invoke';
import { BoundedCache } from '../../builtins/bounded-cache';
import type { CachedHttpResponse } from '../../builtins/registry';
import { compilePolicy } from '../../policy';

// The built-in blocks its thread while it waits, so the test server runs on another thread.
const SERVER = `
const http = require('node:http');
const https = require('node:https');
const { parentPort, workerData } = require('node:worker_threads');
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
    if (req.url === '/redirect') { res.writeHead(302, { location: '/json' }); return res.end(); }
    if (req.url === '/hits') return res.end(String(hits));
    if (req.url === '/yaml') { res.writeHead(200, { 'content-type': 'application/yaml' }); return res.end('a: [1, 2]'); }
    if (req.url === '/cached-hits') { res.writeHead(200, { 'cache-control': 'max-age=60' }); return res.end(String(hits)); }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60', 'x-multi': ['a', 'b'] });
    res.end(JSON.stringify({ method: req.method, path: req.url, body, auth: req.headers.authorization ?? null }));
  });
});
const secure = https.createServer({ cert: workerData.cert, key: workerData.key }, (req, res) => res.end('secure'));
server.listen(0, '127.0.0.1', () =>
  secure.listen(0, '127.0.0.1', () => parentPort.postMessage([server.address().port, secure.address().port])),
);
`;

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

let worker: Worker;
let base: string;
let secureBase: string;

beforeAll(async () => {
  worker = new Worker(SERVER, { eval: true, workerData: { cert: fixture('leaf.pem'), key: fixture('leaf.key') } });
  const [port, securePort] = await new Promise<number[]>((resolve) => worker.once('message', resolve));
  base = `http://127.0.0.1:${port}`;
  secureBase = `https://127.0.0.1:${securePort}`;
});

afterAll(() => worker.terminate());

const allowed = () => context({ capabilities: { httpSendAllowedHosts: ['127.0.0.1'], httpSendTimeoutMs: 1000 } });
const send = (req: object, ctx = allowed()) => invokeJSON('http.send', [fromJSON(req)], ctx) as Record<string, any>;

describe('http.send', () => {
  test('returns OPA response objects: status, lower-case multi-valued headers, raw and decoded body', () => {
    const res = send({ method: 'post', url: `${base}/json`, body: { a: 1 }, headers: { authorization: 'Bearer t' } });
    expect(res.status_code).toBe(200);
    expect(res.status).toBe('200 OK');
    expect(res.headers['x-multi']).toEqual(['a', 'b']);
    expect(res.body).toEqual({ method: 'POST', path: '/json', body: '{"a":1}', auth: 'Bearer t' });
    expect(JSON.parse(res.raw_body)).toEqual(res.body);
  });

  test('is off unless the host is allowlisted', () => {
    expect(() => invoke('http.send', [fromJSON({ method: 'get', url: `${base}/json` })])).toThrow(BuiltinHardError);
    expect(() => invoke('http.send', [fromJSON({ method: 'get', url: 'http://example.com/' })], allowed())).toThrow('unallowed host');
    const soft = send({ method: 'get', url: 'http://example.com/', raise_error: false });
    expect(soft.status_code).toBe(0);
    expect(soft.error.code).toBe('eval_http_send_network_error');
  });

  test('times out', () => {
    expect(() => send({ method: 'get', url: `${base}/slow`, timeout: '200ms' })).toThrow('request timed out');
  });

  test('follows redirects only when asked', () => {
    expect(send({ method: 'get', url: `${base}/redirect` }).status_code).toBe(302);
    expect(send({ method: 'get', url: `${base}/redirect`, enable_redirect: true }).body.path).toBe('/json');
  });

  test('identical requests in one query are sent once', () => {
    const ctx = allowed();
    const first = send({ method: 'get', url: `${base}/hits` }, ctx).raw_body;
    expect(send({ method: 'get', url: `${base}/hits` }, ctx).raw_body).toBe(first);
    expect(send({ method: 'get', url: `${base}/hits` }).raw_body).not.toBe(first);
  });

  test('with cache, responses are reused across queries while fresh, in the host-given cache only', () => {
    const cache = new BoundedCache<string, CachedHttpResponse>(8);
    const caching = () => context({ capabilities: { httpSendAllowedHosts: ['127.0.0.1'], httpSendTimeoutMs: 1000, httpSendCache: cache } });
    const first = send({ method: 'get', url: `${base}/cached-hits`, cache: true }, caching()).raw_body;
    expect(send({ method: 'get', url: `${base}/cached-hits`, cache: true }, caching()).raw_body).toBe(first);
    expect(send({ method: 'get', url: `${base}/cached-hits` }, caching()).raw_body).not.toBe(first);
    // Another cache (another policy), or none at all, does not see the response.
    expect(send({ method: 'get', url: `${base}/cached-hits`, cache: true }).raw_body).not.toBe(first);
  });

  test('each compiled policy keeps its own response cache', () => {
    const capabilities = { httpSendAllowedHosts: ['127.0.0.1'], httpSendTimeoutMs: 1000, netLookupEnabled: false };
    const query = `x := http.send({"method": "get", "url": "${base}/cached-hits", "cache": true}).raw_body`;
    const one = compilePolicy([], fromJSON({}), { capabilities });
    const two = compilePolicy([], fromJSON({}), { capabilities });
    const first = one.query(query)[0].get('x');
    expect(one.query(query)[0].get('x')).toBe(first);
    expect(two.query(query)[0].get('x')).not.toBe(first);
  });

  test('a request outliving the query deadline cancels the query', () => {
    const ctx = { ...allowed(), deadline: performance.now() + 200 };
    expect(() => send({ method: 'get', url: `${base}/slow` }, ctx)).toThrow(expect.objectContaining({ code: 'eval_cancel_error' }));
    expect(() => send({ method: 'get', url: `${base}/json` }, { ...allowed(), deadline: performance.now() - 1 })).toThrow(
      expect.objectContaining({ code: 'eval_cancel_error' }),
    );
  });

  test('decodes YAML bodies', () => {
    expect(send({ method: 'get', url: `${base}/yaml` }).body).toEqual({ a: [1, 2] });
  });

  test('TLS: verifies the server against a given CA and name; reading certificates from files is refused', () => {
    const ca = fixture('root.pem');
    expect(send({ method: 'get', url: `${secureBase}/`, tls_ca_cert: ca, tls_server_name: 'agent.example.test' }).raw_body).toBe('secure');
    expect(() => send({ method: 'get', url: `${secureBase}/` })).toThrow(BuiltinHardError);
    expect(() => send({ method: 'get', url: `${secureBase}/`, tls_ca_cert_file: '/etc/ssl/ca.pem' })).toThrow('is not supported');
  });

  test('rejects unknown request keys with OPA wording', () => {
    expect(() => send({ method: 'get', url: `${base}/json`, bogus: 1 })).toThrow('operand 1 invalid request parameters(s): {"bogus"}');
  });
});
