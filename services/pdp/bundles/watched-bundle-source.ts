import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { BundleLoadError } from './active-bundle-builder';
import { readBundleArchive, readBundleDirectory, type BundleFiles } from './bundle-files';
import type { BundleLoader, LoadOutcome } from './bundle-loader';

export interface WatchedBundleOptions {
  /** A bundle directory or a `.tar.gz` file. */
  location: string;
  kind: 'directory' | 'archive';
  loader: BundleLoader;
  /** Changes within this window are read once, so a bundle being copied in is not read half-written more than needed. */
  debounceMs: number;
  logger: Logger;
}

export interface WatchedBundle {
  /** Reads the location now (the first load, and what a change triggers). */
  reload(): Promise<LoadOutcome>;
  close(): void;
}

/** A local bundle that is read at start and again whenever it changes on disk. */
export function watchBundle(options: WatchedBundleOptions): WatchedBundle {
  const { location, loader, logger } = options;
  const read = options.kind === 'directory' ? () => readBundleDirectory(location) : () => readArchiveFile(location);
  const reload = () => loader.load(read);
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), options.debounceMs);
  };
  const watcher = startWatching(options, changed);
  return {
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };

  function startWatching(watched: WatchedBundleOptions, onChange: () => void): fs.FSWatcher | undefined {
    try {
      // Archives are watched through their directory: tools replace files by renaming over them.
      const watcher =
        watched.kind === 'directory'
          ? fs.watch(location, { recursive: true }, onChange)
          : fs.watch(path.dirname(location), (_event, name) => {
              if (name === null || name === path.basename(location)) onChange();
            });
      watcher.on('error', (error) => logger.warn({ bundle: location, err: error }, 'policy bundle watch failed: changes are no longer picked up'));
      return watcher;
    } catch (error) {
      logger.warn({ bundle: location, error: (error as Error).message }, 'policy bundle location cannot be watched: changes will not be picked up');
      return undefined;
    }
  }
}

async function readArchiveFile(file: string): Promise<BundleFiles> {
  const bytes = await fs.promises.readFile(file);
  try {
    return await readBundleArchive(bytes);
  } catch (error) {
    throw new BundleLoadError('parse', (error as Error).message);
  }
}
