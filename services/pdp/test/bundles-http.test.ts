import fs from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { createLogger, createMetricsRegistry, loadPdpConfig, type Logger, type Registry } from '../../common';
import { bundleCache } from '../bundles/bundle-cache';
import { createBundleLoader } from '../bundles/bundle-loader';
import { createBundleMetrics } from '../bundles/bundle-metrics';
import { signBundle } from '../bundles/bundle-signature';
import { createBundleSlot, type BundleSlot, type BundleSource } from '../bundles/bundle-source';
import { httpBundleSource, type HttpBundle } from '../bundles/http-bundle-source';
import { openBundleSource } from '../bundles/open-bundle-source';
import { bundleArchive, filesMap, revisionBundle, silentLogger, tempDir, type FixtureFiles } from './support/bundle-fixtures';
import { BundleServer } from './support/bundle-server';
import { eventually, metricValue } from './support/bundle-waits';

const TOKEN = 'bundle-server-token';
const HOUR_MS = 3_600_000;

describe('http(s) bundles', () => {
  let server: BundleServer;
  let url: string;
  let cacheDir: string;
  let registry: Registry;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeEach(async () => {
    server = new BundleServer(TOKEN);
    server.archive = await bundleArchive(revisionBundle('r1'));
    url = await server.start();
    cacheDir = tempDir('mcp-authz-bundle-cache-');
    registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server.stop();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  function polled(
    options: {
      token?: string;
      verification?: Parameters<typeof createBundleLoader>[0]['verification'];
      registry?: Registry;
      logger?: Logger;
      delays?: { minDelayMs: number; maxDelayMs: number; random: () => number };
    } = {},
  ): { http: HttpBundle; slot: BundleSlot } {
    const slot = createBundleSlot(url);
    const metrics = createBundleMetrics(options.registry ?? registry, slot);
    const logger = options.logger ?? silentLogger();
    const loader = createBundleLoader({ slot, logger, metrics, engine: 'auto', verification: options.verification });
    const http = httpBundleSource({
      url,
      token: 'token' in options ? options.token : TOKEN,
      loader,
      cache: bundleCache(cacheDir, url),
      minDelayMs: HOUR_MS,
      maxDelayMs: HOUR_MS,
      timeoutMs: 5000,
      logger,
      ...options.delays,
    });
    cleanups.push(() => http.close());
    return { http, slot };
  }

  it('downloads with the bearer token, then asks with If-None-Match and keeps the bundle on 304', async () => {
    const { http, slot } = polled();
    expect((await http.poll()).kind).toBe('activated');
    expect(slot.status().activeRevision).toBe('r1');
    const first = slot.current();
    expect((await http.poll()).kind).toBe('not-modified');
    expect(slot.current()).toBe(first);
    expect(server.requests).toEqual([
      { ifNoneMatch: undefined, authorization: `Bearer ${TOKEN}`, status: 200 },
      { ifNoneMatch: server.etag, authorization: `Bearer ${TOKEN}`, status: 304 },
    ]);

    const oldEtag = server.etag;
    server.archive = await bundleArchive(revisionBundle('r2'));
    expect((await http.poll()).kind).toBe('activated');
    expect(server.requests[2]).toEqual({ ifNoneMatch: oldEtag, authorization: `Bearer ${TOKEN}`, status: 200 });
    expect(slot.status().activeRevision).toBe('r2');
  });

  it('keeps the last good bundle when the server refuses the token, fails, goes away or serves garbage', async () => {
    const { http, slot } = polled();
    await http.poll();
    const good = slot.current();

    const unauthorized = polled({ token: 'wrong', registry: createMetricsRegistry({ service: 'pdp', processMetrics: false }) });
    await unauthorized.http.poll();
    expect(unauthorized.slot.current()).toBeNull();
    expect(unauthorized.slot.status().lastError?.message).toBe(`GET ${url}: HTTP 401`);

    server.failWith = 500;
    expect((await http.poll()).kind).toBe('failed');
    expect(slot.status().lastError?.message).toBe(`GET ${url}: HTTP 500`);

    server.failWith = null;
    server.archive = Buffer.from('<html>not a bundle</html>');
    expect((await http.poll()).kind).toBe('failed');

    server.archive = await bundleArchive({ ...revisionBundle('broken'), 'mcp/gateway/policy.rego': 'package mcp.gateway\n\ndecision := {' });
    expect((await http.poll()).kind).toBe('failed');

    await server.stop();
    const gone = await http.poll();
    expect(gone.kind === 'failed' && gone.error.message).toMatch(new RegExp(`^GET ${url}: fetch failed`));

    expect(slot.current()).toBe(good);
    expect(await metricValue(registry, 'pdp_bundle_failures_total', { reason: 'download' })).toBe(2);
    expect(await metricValue(registry, 'pdp_bundle_failures_total', { reason: 'parse' })).toBe(1);
    expect(await metricValue(registry, 'pdp_bundle_failures_total', { reason: 'compile' })).toBe(1);
    expect(JSON.stringify(slot.status())).not.toContain(TOKEN);
  });

  it('logs a refused bundle with its reason, never the bearer token', async () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'pdp', level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const { http } = polled({ logger });
    await http.poll();
    server.failWith = 500;
    await http.poll();
    const refusals = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'policy bundle refused: the active bundle stays in force');
    expect(refusals).toEqual([expect.objectContaining({ bundle: url, reason: 'download', error: `GET ${url}: HTTP 500`, revision: 'r1' })]);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('waits a delay drawn between the bounds before each poll, so a fleet does not poll in step', async () => {
    const draws = [0, 0.5, 0.25];
    const timers = jest.spyOn(global, 'setTimeout');
    try {
      const { http, slot } = polled({ delays: { minDelayMs: 30, maxDelayMs: 70, random: () => draws.shift() ?? 0.999 } });
      http.start();
      await eventually(() => server.requests.length >= 3);
      http.close();
      expect(slot.status().activeRevision).toBe('r1');
      expect(timers.mock.calls.map((call) => call[1])).toEqual(expect.arrayContaining([30, 50, 40]));
    } finally {
      timers.mockRestore();
    }
  });

  it('activates a signed bundle and refuses a tampered or unsigned one', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signing = { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'ES256' as const };
    const verification = { key: publicKey.export({ type: 'spki', format: 'pem' }).toString(), algorithm: 'ES256' as const, scope: '' };
    const signed = async (files: FixtureFiles): Promise<FixtureFiles> => ({ ...files, '.signatures.json': await signBundle(filesMap(files), signing) });

    server.archive = await bundleArchive(await signed(revisionBundle('s1')));
    const { http, slot } = polled({ verification });
    expect((await http.poll()).kind).toBe('activated');

    const tampered = await signed(revisionBundle('s2'));
    tampered['mcp/gateway/data.json'] = JSON.stringify({ revision: 'forged' });
    server.archive = await bundleArchive(tampered);
    const refused = await http.poll();
    expect(refused.kind === 'failed' && refused.error).toMatchObject({ reason: 'verify', message: 'mcp/gateway/data.json: digest mismatch' });

    server.archive = await bundleArchive(revisionBundle('unsigned'));
    expect((await http.poll()).kind).toBe('failed');
    expect(slot.status()).toMatchObject({ activeRevision: 's1' });
    expect(await metricValue(registry, 'pdp_bundle_failures_total', { reason: 'verify' })).toBe(2);
  });

  describe('through openBundleSource (PDP_BUNDLE=URL)', () => {
    // Each open is a process start: its own metrics.
    async function open(): Promise<BundleSource> {
      registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
      const env = {
        PDP_BUNDLE: url,
        PDP_BUNDLE_TOKEN: TOKEN,
        PDP_BUNDLE_CACHE_DIR: cacheDir,
        PDP_BUNDLE_POLL_MIN_DELAY_S: '0.02',
        PDP_BUNDLE_POLL_MAX_DELAY_S: '0.05',
      };
      const source = await openBundleSource(loadPdpConfig(env), { logger: silentLogger(), registry, env });
      cleanups.push(() => source.close());
      return source;
    }

    it('polls with jitter and activates what the server publishes', async () => {
      const source = await open();
      expect(source.status().activeRevision).toBe('r1');
      server.archive = await bundleArchive(revisionBundle('r2'));
      await eventually(() => source.status().activeRevision === 'r2');
      await eventually(() => server.requests.filter((request) => request.status === 304).length >= 2);
    });

    it('starts from the saved bundle when the server is down after a restart, and revalidates it with its ETag', async () => {
      const first = await open();
      expect(first.status().activeRevision).toBe('r1');
      const etag = server.etag;
      await first.close();
      const port = Number(new URL(url).port);
      await server.stop();

      const restarted = await open();
      expect(restarted.status().activeRevision).toBe('r1');
      expect((restarted.current()!.engine.evaluate(['mcp', 'gateway', 'decision'], {}) as { reasons: string[] }).reasons).toEqual(['decided by r1']);
      await eventually(() => restarted.status().lastError !== null);
      expect(restarted.status().lastError!.message).toMatch(/fetch failed/);

      server.requests.length = 0;
      await server.start(port);
      await eventually(() => server.requests.length > 0);
      expect(server.requests[0]).toMatchObject({ ifNoneMatch: etag, status: 304 });
      expect(restarted.status().activeRevision).toBe('r1');
    });

    it('does not start from a saved bundle of another URL', async () => {
      const saved = bundleCache(cacheDir, 'http://127.0.0.1:1/other.tar.gz');
      await saved.write({ archive: await bundleArchive(revisionBundle('other')), etag: '"x"' });
      await server.stop();
      const source = await open();
      expect(source.current()).toBeNull();
    });
  });
});
