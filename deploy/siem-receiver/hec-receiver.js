#!/usr/bin/env node
'use strict';
// A minimal Splunk HTTP Event Collector for the docker-compose demo: accepts what the audit service's
// `splunk_hec` sink sends (events concatenated as JSON objects, optionally gzip), checks the
// `Authorization: Splunk <token>` header, counts events and prints one line per batch.
// Settings: HEC_TOKEN (required), PORT (default 8088). GET /metrics reports hec_receiver_events_total.
const http = require('node:http');
const zlib = require('node:zlib');

const token = process.env.HEC_TOKEN;
const port = Number(process.env.PORT || 8088);
if (!token) {
  console.error('hec-receiver: set HEC_TOKEN');
  process.exit(2);
}

let eventsReceived = 0;
let batchesReceived = 0;

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** HEC bodies are JSON objects one after another (no array, no separator required). */
function countEvents(text) {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let count = 0;
  for (const char of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) count += 1;
    }
  }
  return count;
}

const server = http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  if (req.method === 'GET' && path === '/services/collector/health') return reply(res, 200, { text: 'HEC is healthy', code: 17 });
  if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    return res.end(`# TYPE hec_receiver_events_total counter\nhec_receiver_events_total ${eventsReceived}\n# TYPE hec_receiver_batches_total counter\nhec_receiver_batches_total ${batchesReceived}\n`);
  }
  if (req.method !== 'POST' || !path.startsWith('/services/collector')) return reply(res, 404, { text: 'Not found', code: 404 });
  if (req.headers.authorization !== `Splunk ${token}`) return reply(res, 403, { text: 'Invalid token', code: 4 });
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    try {
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
    } catch {
      return reply(res, 400, { text: 'Invalid data format', code: 6 });
    }
    const events = countEvents(body.toString('utf8'));
    if (events === 0) return reply(res, 400, { text: 'No data', code: 5 });
    eventsReceived += events;
    batchesReceived += 1;
    console.log(JSON.stringify({ msg: 'batch received', events, total: eventsReceived }));
    reply(res, 200, { text: 'Success', code: 0 });
  });
});

server.listen(port, () => console.log(JSON.stringify({ msg: 'listening', port })));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
