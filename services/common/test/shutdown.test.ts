import http from 'node:http';
import express from 'express';
import { listen } from '../lifecycle/http-server';
import { createShutdown } from '../lifecycle/shutdown';
import { spawnTs } from './support/child-process';
import { silentLogger } from './support/silent-logger';

// A keep-alive agent, as real clients use: closing must not wait for their idle connections.
function get(url: string, agent: http.Agent | false = new http.Agent({ keepAlive: true })): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('shutdown phases', () => {
  it('stops, then flushes in order, then closes, and reports a failing hook without skipping the rest', async () => {
    const shutdown = createShutdown(silentLogger());
    const order: string[] = [];
    shutdown.onClose('db', () => void order.push('close db'));
    shutdown.onFlush('first', () => void order.push('flush first'));
    shutdown.onFlush('broken', () => {
      throw new Error('disk full');
    });
    shutdown.onFlush('second', async () => void order.push('flush second'));
    shutdown.onStop('server', async () => void order.push('stop server'));
    expect(await shutdown.run('test')).toBe(false);
    expect(order).toEqual(['stop server', 'flush first', 'flush second', 'close db']);
    expect(await shutdown.run('again')).toBe(false);
    expect(order).toHaveLength(4);
  });
});

describe('closing a server', () => {
  it('lets an in-flight request finish and then refuses new connections', async () => {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const app = express();
    app.get('/slow', async (_req, res) => {
      arrived();
      await new Promise<void>((resolve) => (release = resolve));
      res.send('done');
    });
    const running = await listen(app, { host: '127.0.0.1', port: 0 });
    const inFlight = get(`${running.url}/slow`);
    await requestArrived;
    const closed = running.close();
    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: 'done' });
    await closed;
    await expect(get(`${running.url}/slow`, false)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('SIGTERM', () => {
  it('finishes the in-flight request, runs flush hooks and exits 0', async () => {
    const service = spawnTs('services/common/test/fixtures/slow-service.ts');
    const listening = await service.waitForLine((_line, json) => json?.event === 'listening');
    const { port } = JSON.parse(listening) as { port: number };
    const started = service.waitForLine((_line, json) => json?.event === 'slow request started');
    const inFlight = get(`http://127.0.0.1:${port}/slow`);
    await started;
    service.child.kill('SIGTERM');
    await expect(inFlight).resolves.toEqual({ status: 200, body: '{"finished":true}' });
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.stdout()).toContain('"event":"flushed"');
  });
});
