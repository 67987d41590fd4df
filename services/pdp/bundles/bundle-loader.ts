import type { Logger } from 'pino';
import type { ActiveBundle } from '../engines/decision-engine';
import { BundleLoadError, buildActiveBundle, type ActiveBundleOptions } from './active-bundle-builder';
import { bundleDigest, type BundleFiles } from './bundle-files';
import type { BundleMetrics } from './bundle-metrics';
import type { BundleSlot } from './bundle-source';

export type LoadOutcome = { kind: 'activated'; bundle: ActiveBundle } | { kind: 'unchanged' } | { kind: 'failed'; error: BundleLoadError };

/** Takes bundle files from any origin and activates them, or keeps the last good bundle and says why. */
export interface BundleLoader {
  readonly slot: BundleSlot;
  /** Attempts run one at a time, in call order; `read` failures count as download failures. */
  load(read: () => Promise<BundleFiles> | BundleFiles): Promise<LoadOutcome>;
  /** Records a failure that happened before there were files to load (e.g. an HTTP error status). */
  fail(error: BundleLoadError): void;
}

export interface BundleLoaderOptions extends Omit<ActiveBundleOptions, 'source'> {
  slot: BundleSlot;
  logger: Logger;
  metrics?: BundleMetrics;
}

export function createBundleLoader(options: BundleLoaderOptions): BundleLoader {
  const { slot, logger, metrics } = options;
  const source = slot.status().source;
  let activeDigest: string | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const fail = (error: BundleLoadError): void => {
    slot.fail(error.message);
    metrics?.failed(error.reason);
    logger.error({ bundle: source, reason: error.reason, error: error.message, revision: slot.status().activeRevision }, 'policy bundle refused: the active bundle stays in force');
  };

  const attempt = async (read: () => Promise<BundleFiles> | BundleFiles): Promise<LoadOutcome> => {
    let files: BundleFiles;
    try {
      files = await read();
    } catch (error) {
      const failure = error instanceof BundleLoadError ? error : new BundleLoadError('download', (error as Error).message);
      fail(failure);
      return { kind: 'failed', error: failure };
    }
    const digest = bundleDigest(files);
    if (digest === activeDigest) {
      slot.checked();
      return { kind: 'unchanged' };
    }
    let bundle: ActiveBundle;
    try {
      bundle = await buildActiveBundle(files, { ...options, source });
    } catch (error) {
      const failure = error instanceof BundleLoadError ? error : new BundleLoadError('compile', (error as Error).message);
      fail(failure);
      return { kind: 'failed', error: failure };
    }
    // The one reference swap: decisions that already read the previous bundle finish on it.
    slot.activate(bundle);
    activeDigest = digest;
    metrics?.activated();
    logger.info({ bundle: source, revision: bundle.revision, engine: bundle.engine.kind }, 'policy bundle activated');
    return { kind: 'activated', bundle };
  };

  return {
    slot,
    load(read) {
      const outcome = queue.then(() => attempt(read));
      queue = outcome.catch(() => undefined);
      return outcome;
    },
    fail,
  };
}
