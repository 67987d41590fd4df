import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { auditEventSchema, createAuditClient, type AuditEventInput } from '../../common/audit-client';
import { createLogger, createMetricsRegistry, createReadiness } from '../../common';
import { createPdpApp } from '../app';
import { staticBundleSource } from '../bundles/bundle-source';
import { directoryBundleSource } from '../bundles/directory-bundle-source';
import { auditDecisionRecorder } from '../decisions/audit-decision-recorder';
import { createNativeEngine } from '../engines/native-engine';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { testPdp } from './support/test-app';

const POLICIES = path.resolve(__dirname, '../../../policies');
const logger = createLogger({ service: 'pdp', level: 'silent' });

/** A stand-in audit service: accepts `POST /v1/events` and keeps what it got. */
async function startAuditSink(): Promise<{ url: string; events: AuditEventInput[]; close(): Promise<void> }> {
  const events: AuditEventInput[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = (await import('node:zlib')).gunzipSync(body);
      const batch = JSON.parse(body.toString('utf8')) as { events: AuditEventInput[] };
      events.push(...batch.events);
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: batch.events.length, duplicates: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, events, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function pdpWithAudit(bundle: ReturnType<typeof staticBundleSource>, auditUrl: string) {
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdp-audit-spool-'));
  const registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
  const audit = createAuditClient({ url: auditUrl, spoolDir, logger, registry, flushIntervalMs: 10 });
  const app = createPdpApp({ logger, registry, readiness: createReadiness(), bundles: bundle, recorder: auditDecisionRecorder(audit, logger) });
  return { app, audit };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** An audit client that keeps what it is handed, however it is handed. */
function collecting(recorded: AuditEventInput[]) {
  const keep = (event: AuditEventInput) => void recorded.push(event);
  return { record: keep, recordValid: keep };
}

describe('decisions reach the audit service through the audit client', () => {
  it('sends each decision with its input masked by system.log.mask', async () => {
    const sink = await startAuditSink();
    const { app, audit } = pdpWithAudit(directoryBundleSource(POLICIES, createNativeEngine), sink.url);
    try {
      const res = await request(app)
        .post('/v1/authorize')
        .send({ server_name: 'everything', tool_name: 'echo', principal: { id: 'alice', type: 'user' }, parameters: { message: 'hi', api_key: 'k-123' }, context: { ip: '127.0.0.1' } });
      expect(res.body.allow).toBe(true);
      await settle();
      await audit.close();
      expect(sink.events).toHaveLength(1);
      const [event] = sink.events;
      expect(event).toMatchObject({ event_id: res.body.audit_id, decision_id: res.body.decision_id, decision: 'allow', revision: 'mcp-authz-example-1' });
      expect(event.payload).toMatchObject({ input: { parameters: { message: 'hi' } }, result: { allow: true } });
      expect(event.masks).toContainEqual({ op: 'upsert', path: '/payload/input/parameters/api_key', value: '[REDACTED]' });
    } finally {
      await sink.close();
    }
  });

  it('leaves the input out when the mask rule fails', async () => {
    const sink = await startAuditSink();
    const engine = fakeEngine();
    const failingMasks = fakeEngine({
      evaluate: (pathTo, input, options) => {
        if (pathTo.join('/') === 'system/log/mask') throw new Error('mask failed');
        return engine.evaluate(pathTo, input, options);
      },
    });
    const { app, audit } = pdpWithAudit(staticBundleSource(activeBundle(failingMasks)), sink.url);
    try {
      await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'echo', principal: { id: 'alice' }, parameters: { password: 'p' } });
      await settle();
      await audit.close();
      expect(sink.events).toHaveLength(1);
      expect(sink.events[0].payload).not.toHaveProperty('input');
      expect(JSON.stringify(sink.events[0])).not.toContain('"p"');
    } finally {
      await sink.close();
    }
  });
});

describe('decisions do not wait for the audit service', () => {
  it('answers while a delivery hangs, and keeps the events for later when it fails', async () => {
    let received = 0;
    const hanging = http.createServer(() => void received++);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { app, audit } = pdpWithAudit(staticBundleSource(activeBundle(fakeEngine())), `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`);
    const question = { server_name: 'everything', tool_name: 'echo', principal: { id: 'alice' } };
    try {
      expect((await request(app).post('/v1/authorize').send(question)).body.allow).toBe(true);
      while (received === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // The first decision's delivery is stuck at the audit service; the next decision is answered all the same.
      const second = await request(app).post('/v1/authorize').send({ ...question, tool_name: 'get-env' });
      expect(second.status).toBe(200);
      expect(second.body.allow).toBe(false);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
      await audit.close();
    }
    expect(audit.depth().spool.events).toBe(2);
  });
});

describe('auditDecisionRecorder', () => {
  it('evaluates system.log.mask once per cached question and moves its pointers under /payload', async () => {
    let maskRuns = 0;
    const engine = fakeEngine();
    const masking = fakeEngine({
      evaluate: (pathTo, input, options) => {
        if (pathTo.join('/') !== 'system/log/mask') return engine.evaluate(pathTo, input, options);
        maskRuns++;
        return ['/input/parameters/password', { op: 'remove', path: '/result/reasons' }];
      },
    });
    const recorded: AuditEventInput[] = [];
    const registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
    const app = createPdpApp({
      logger,
      registry,
      readiness: createReadiness(),
      bundles: staticBundleSource(activeBundle(masking)),
      recorder: auditDecisionRecorder(collecting(recorded), logger),
    });
    const question = { server_name: 'everything', tool_name: 'echo', principal: { id: 'alice' }, parameters: { password: 'p' } };
    await request(app).post('/v1/authorize').send(question);
    await request(app).post('/v1/authorize').send(question);
    await settle();
    expect(recorded).toHaveLength(2);
    expect(maskRuns).toBe(1);
    expect(recorded[1].masks).toEqual(['/payload/input/parameters/password', { op: 'remove', path: '/payload/result/reasons' }]);
  });

  it('evaluates system.log.mask once per repeated denial, and again when the same question gets another answer', async () => {
    let maskRuns = 0;
    let decisions = 0;
    const changing = fakeEngine({
      evaluate: (pathTo) => {
        if (pathTo.join('/') === 'system/log/mask') {
          maskRuns++;
          return [];
        }
        decisions++;
        return { allow: false, reasons: [decisions <= 2 ? 'closed' : 'closed for maintenance'], cache_ttl: 0 };
      },
    });
    const recorded: AuditEventInput[] = [];
    const app = createPdpApp({
      logger,
      registry: createMetricsRegistry({ service: 'pdp', processMetrics: false }),
      readiness: createReadiness(),
      bundles: staticBundleSource(activeBundle(changing)),
      recorder: auditDecisionRecorder(collecting(recorded), logger),
    });
    const question = { server_name: 'everything', tool_name: 'echo', principal: { id: 'alice' } };
    for (let i = 0; i < 3; i++) expect((await request(app).post('/v1/authorize').send(question)).body.allow).toBe(false);
    await settle();
    expect(decisions).toBe(3);
    expect(recorded.map((event) => event.reason)).toEqual(['closed', 'closed', 'closed for maintenance']);
    expect(maskRuns).toBe(2);
  });

  it('leaves the input out when a mask points outside input and result', async () => {
    const engine = fakeEngine();
    const masking = fakeEngine({
      evaluate: (pathTo, input, options) => (pathTo.join('/') === 'system/log/mask' ? ['/tenant'] : engine.evaluate(pathTo, input, options)),
    });
    const recorded: AuditEventInput[] = [];
    const app = createPdpApp({
      logger,
      registry: createMetricsRegistry({ service: 'pdp', processMetrics: false }),
      readiness: createReadiness(),
      bundles: staticBundleSource(activeBundle(masking)),
      recorder: auditDecisionRecorder(collecting(recorded), logger),
    });
    await request(app).post('/v1/authorize').send({ server_name: 'everything', tool_name: 'echo', principal: { id: 'alice' } });
    await settle();
    expect(recorded[0].payload).toEqual({ result: expect.objectContaining({ allow: true }), input_omitted: 'decision-log masks unavailable' });
    expect(recorded[0].masks).toBeUndefined();
  });
});

describe('recorded decisions', () => {
  it('always satisfy the shared audit event schema, long names clipped', async () => {
    const { app, recorded } = testPdp();
    const long = 'x'.repeat(2000);
    await request(app).post('/v1/authorize').send({ server_name: long, tool_name: long, principal: { id: long } });
    await request(app).post('/access/v1/evaluation').send({ subject: { type: 'y'.repeat(100), id: 'r' }, action: { name: 'tools/call' }, resource: { type: 'tool', id: 'echo' } });
    await request(app).post('/v1/data/mcp/gateway/decision').send({ input: { principal: { id: 'alice' } } });
    expect(recorded).toHaveLength(3);
    for (const event of recorded) expect(auditEventSchema.safeParse(event).error).toBeUndefined();
    expect(recorded[0].tool).toHaveLength(512);
  });
});
