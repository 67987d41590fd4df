import fs from 'node:fs';
import path from 'node:path';
import { spawnTs } from '../../common/test/support/child-process';
import { useTempDir } from '../../common/test/support/temp-dir';

const RANDOM_PORTS = { PDP_PORT: '0', PROXY_PORT: '0', AUDIT_PORT: '0' };

describe('mcp-authz serve', () => {
  const work = useTempDir('mcp-authz-serve-');

  it('serve all answers /health on three ports, the PDP on a Unix socket too, and exits 0 on SIGINT', async () => {
    const cli = spawnTs('services/cli/main.ts', ['serve', 'all'], { env: RANDOM_PORTS, cwd: work.path });
    const urls: Record<string, string> = {};
    let pdpSocket: string | undefined;
    await Promise.all(
      ['pdp', 'proxy', 'audit'].map(async (service) => {
        const line = await cli.waitForLine((_line, json) => json?.msg === 'listening' && json.service === service);
        const listening = JSON.parse(line) as { url: string; socket?: string };
        urls[service] = listening.url;
        if (service === 'pdp') pdpSocket = listening.socket;
      }),
    );
    // The proxy of `serve all` asks the PDP over this socket (PDP_URL unix:…), not over the PDP's port.
    expect(pdpSocket).toBe(path.join(fs.realpathSync(work.path), '.data/pdp.sock'));
    expect(fs.lstatSync(pdpSocket as string).isSocket()).toBe(true);
    expect(new Set(Object.values(urls)).size).toBe(3);
    for (const [service, url] of Object.entries(urls)) {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', service });
    }
    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(pdpSocket as string)).toBe(false);
  });

  it('exits 2 naming the variable when a value is bad', async () => {
    const cli = spawnTs('services/cli/main.ts', ['serve', 'all'], { env: { ...RANDOM_PORTS, PDP_PORT: 'abc' }, cwd: work.path });
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain('PDP_PORT');
    expect(cli.stdout()).not.toContain('listening');
  });

  it('refuses to listen beyond loopback without API keys, and starts with PDP_AUTH=none', async () => {
    const refused = spawnTs('services/cli/main.ts', ['serve', 'pdp'], { env: { PDP_PORT: '0', PDP_HOST: '0.0.0.0' }, cwd: work.path });
    expect((await refused.exited).code).toBe(2);
    expect(refused.stderr()).toContain('PDP_API_KEYS_FILE');

    const allowed = spawnTs('services/cli/main.ts', ['serve', 'pdp'], { env: { PDP_PORT: '0', PDP_HOST: '0.0.0.0', PDP_AUTH: 'none' }, cwd: work.path });
    await allowed.waitForLine((_line, json) => json?.msg === 'listening');
    allowed.child.kill('SIGTERM');
    expect((await allowed.exited).code).toBe(0);
  });
});
