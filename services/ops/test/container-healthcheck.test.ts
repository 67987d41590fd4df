import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { repoPath } from './support/ops-files';

const SCRIPT = repoPath('deploy/docker/healthcheck.js');

function runHealthcheck(args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, [SCRIPT, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** A stand-in service: live (/health 200) but not ready (/ready 503), as a PDP without a bundle. */
function liveButNotReady(): Promise<{ port: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 503, { 'content-type': 'application/json' });
    res.end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: String((server.address() as AddressInfo).port), close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

describe('deploy/docker/healthcheck.js (the image HEALTHCHECK)', () => {
  it('asks /health, or /ready with --ready, on the port the service variable names', async () => {
    const service = await liveButNotReady();
    try {
      expect(await runHealthcheck(['pdp'], { PDP_PORT: service.port })).toBe(0);
      expect(await runHealthcheck(['--ready', 'pdp'], { PDP_PORT: service.port })).toBe(1);
      expect(await runHealthcheck(['audit'], { AUDIT_PORT: service.port })).toBe(0);
    } finally {
      await service.close();
    }
  });

  it('fails when a service of the container does not answer', async () => {
    const service = await liveButNotReady();
    await service.close();
    expect(await runHealthcheck(['proxy'], { PROXY_PORT: service.port })).toBe(1);
    // `all` needs every service: one answering is not enough.
    const pdp = await liveButNotReady();
    try {
      expect(await runHealthcheck(['all'], { PDP_PORT: pdp.port, PROXY_PORT: service.port, AUDIT_PORT: pdp.port })).toBe(1);
    } finally {
      await pdp.close();
    }
  });
});
