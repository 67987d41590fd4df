import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Environment, PdpConfig, Registry } from '../../common';
import { bundleCache, bundleCacheFolder } from './bundle-cache';
import { fileBundleHistory } from './bundle-history-file';
import { createBundleLoader } from './bundle-loader';
import { createBundleMetrics } from './bundle-metrics';
import { loadBundleSettings } from './bundle-settings';
import { createBundleSlot, type BundleSource } from './bundle-source';
import { httpBundleSource } from './http-bundle-source';
import { watchBundle } from './watched-bundle-source';

export interface BundleSourceDependencies {
  logger: Logger;
  /** Where `pdp_bundle_*` metrics go; none when absent. */
  registry?: Registry;
  env?: Environment;
  cwd?: string;
}

/**
 * `PDP_BUNDLE` as the decision path sees it. Resolves once the first load is over (activated or
 * failed), so the service starts with its bundle when there is one; loading goes on in the background:
 * a directory or `.tar.gz` is read again when it changes, a URL is polled, and a failed load never
 * replaces the bundle in force.
 */
export async function openBundleSource(config: PdpConfig, dependencies: BundleSourceDependencies): Promise<BundleSource> {
  const { logger } = dependencies;
  const cwd = dependencies.cwd ?? process.cwd();
  const env = dependencies.env ?? process.env;
  const settings = loadBundleSettings(env, cwd);
  const history = fileBundleHistory({
    file: path.join(bundleCacheFolder(settings.cacheDir, config.bundle), 'history.jsonl'),
    writer: (env.PDP_WORKER_INDEX ?? '0') === '0',
    logger,
  });
  const slot = createBundleSlot(config.bundle, undefined, history);
  const metrics = dependencies.registry ? createBundleMetrics(dependencies.registry, slot) : undefined;
  const loader = createBundleLoader({ slot, logger, metrics, engine: config.engine, verification: settings.verification });

  if (/^https?:\/\//i.test(config.bundle)) {
    const remote = httpBundleSource({
      url: config.bundle,
      token: settings.token,
      loader,
      cache: bundleCache(settings.cacheDir, config.bundle),
      minDelayMs: settings.pollMinDelayMs,
      maxDelayMs: settings.pollMaxDelayMs,
      timeoutMs: settings.timeoutMs,
      logger,
    });
    slot.onClose(() => remote.close());
    // A saved bundle serves at once; the server is asked right after, without holding up the start.
    if (await remote.restoreFromCache()) void remote.poll().finally(() => remote.start());
    else {
      await remote.poll();
      remote.start();
    }
    return slot;
  }

  const location = path.resolve(cwd, config.bundle);
  const kind = fs.statSync(location, { throwIfNoEntry: false })?.isDirectory() ? 'directory' : 'archive';
  const local = watchBundle({ location, kind, loader, intervalMs: settings.watchIntervalMs });
  slot.onClose(() => local.close());
  await local.reload();
  return slot;
}
