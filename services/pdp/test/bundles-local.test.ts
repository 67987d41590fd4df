import fs from 'node:fs';
import path from 'node:path';
import { createMetricsRegistry, loadPdpConfig, type Registry } from '../../common';
import { createBundleLoader } from '../bundles/bundle-loader';
import { createBundleMetrics } from '../bundles/bundle-metrics';
import { createBundleSlot, type BundleSource } from '../bundles/bundle-source';
import { openBundleSource } from '../bundles/open-bundle-source';
import { bundleArchive, filesMap, revisionBundle, silentLogger, tempDir, writeBundleDir } from './support/bundle-fixtures';
import { eventually, metricValue } from './support/bundle-waits';

const GATEWAY = ['mcp', 'gateway', 'decision'];

function decidedBy(source: BundleSource): unknown {
  return (source.current()?.engine.evaluate(GATEWAY, { action: 'tools/call' }) as { reasons: string[] }).reasons[0];
}

describe('local bundles (PDP_BUNDLE = directory or .tar.gz)', () => {
  let dir: string;
  let registry: Registry;
  const opened: BundleSource[] = [];

  beforeEach(() => {
    dir = tempDir();
    registry = createMetricsRegistry({ service: 'pdp', processMetrics: false });
  });
  afterEach(async () => {
    for (const source of opened.splice(0)) await source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(bundle: string, env: Record<string, string> = {}): Promise<BundleSource> {
    const config = loadPdpConfig({ PDP_BUNDLE: bundle, ...env }, dir);
    const settings = { PDP_BUNDLE_WATCH_INTERVAL_MS: '25', ...env };
    const source = await openBundleSource(config, { logger: silentLogger(), registry, env: settings, cwd: dir });
    opened.push(source);
    return source;
  }

  it('activates a directory, reloads it when it changes, and keeps the last good bundle when a change does not compile', async () => {
    const bundleDir = path.join(dir, 'policies');
    fs.mkdirSync(bundleDir);
    writeBundleDir(bundleDir, revisionBundle('r1'));
    const source = await open('./policies');
    expect(source.status()).toMatchObject({ activeRevision: 'r1', lastError: null });
    expect(decidedBy(source)).toBe('decided by r1');

    writeBundleDir(bundleDir, revisionBundle('r2'));
    await eventually(() => source.status().activeRevision === 'r2');
    expect(decidedBy(source)).toBe('decided by r2');

    fs.writeFileSync(path.join(bundleDir, 'mcp/gateway/policy.rego'), 'package mcp.gateway\n\ndecision := {\n');
    await eventually(() => source.status().lastError !== null);
    expect(source.status().activeRevision).toBe('r2');
    expect(decidedBy(source)).toBe('decided by r2');
    expect(await metricValue(registry, 'pdp_bundle_failures_total', { reason: 'compile' })).toBe(1);

    writeBundleDir(bundleDir, revisionBundle('r3'));
    await eventually(() => source.status().activeRevision === 'r3');
    expect(source.status().lastError).toBeNull();
    expect(await metricValue(registry, 'pdp_bundle_activations_total')).toBe(3);
    const activatedAt = source.status().activatedAt!.getTime() / 1000;
    expect(await metricValue(registry, 'pdp_bundle_activated_timestamp_seconds', { revision: 'r3' })).toBe(activatedAt);
  });

  it('does not activate again when the files are the same', async () => {
    const slot = createBundleSlot('test');
    const loader = createBundleLoader({ slot, logger: silentLogger(), metrics: createBundleMetrics(registry, slot), engine: 'auto' });
    expect((await loader.load(() => filesMap(revisionBundle('same')))).kind).toBe('activated');
    const first = slot.current();
    expect((await loader.load(() => filesMap(revisionBundle('same')))).kind).toBe('unchanged');
    expect(slot.current()).toBe(first);
    expect((await loader.load(() => filesMap(revisionBundle('other')))).kind).toBe('activated');
    expect(await metricValue(registry, 'pdp_bundle_activations_total')).toBe(2);
  });

  it('activates a .tar.gz file, picks up a replacement, and refuses a corrupt one', async () => {
    const archive = path.join(dir, 'bundle.tar.gz');
    fs.writeFileSync(archive, await bundleArchive(revisionBundle('a1')));
    const source = await open('bundle.tar.gz');
    expect(decidedBy(source)).toBe('decided by a1');

    fs.writeFileSync(`${archive}.tmp`, await bundleArchive(revisionBundle('a2')));
    fs.renameSync(`${archive}.tmp`, archive);
    await eventually(() => source.status().activeRevision === 'a2');

    fs.writeFileSync(archive, Buffer.from('not a gzip archive'));
    await eventually(() => source.status().lastError !== null);
    expect(source.status().activeRevision).toBe('a2');
    expect(await metricValue(registry, 'pdp_bundle_failures_total', { reason: 'parse' })).toBe(1);
  });

  it('reports a missing bundle as not activated, with the reason', async () => {
    const source = await open('./nowhere.tar.gz');
    expect(source.current()).toBeNull();
    expect(source.status().lastError?.message).toContain('nowhere.tar.gz');
    expect(await metricValue(registry, 'pdp_bundle_failures_total', { reason: 'download' })).toBe(1);
  });

  it('refuses an unsigned directory bundle when a verification key is configured', async () => {
    writeBundleDir(dir, revisionBundle('unsigned'));
    const source = await open('.', { PDP_BUNDLE_VERIFICATION_KEY: 'secret', PDP_BUNDLE_VERIFICATION_ALG: 'HS256' });
    expect(source.current()).toBeNull();
    expect(source.status().lastError?.message).toMatch(/not signed/);
    expect(await metricValue(registry, 'pdp_bundle_failures_total', { reason: 'verify' })).toBe(1);
  });
});
