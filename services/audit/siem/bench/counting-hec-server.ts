// The counting HEC endpoint as its own process (`startCountingHec` forks it), so the benchmark can tell
// its CPU apart from the audit service's and the load generator's. Reports its URL, then its count after
// every request, over IPC.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const token = process.env.COUNTING_HEC_TOKEN ?? '';
let events = 0;
let requests = 0;
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
    requests += 1;
    process.send?.({ events, requests });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
process.on('disconnect', () => process.exit(0));
