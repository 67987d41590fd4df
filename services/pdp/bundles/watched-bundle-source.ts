import fs from 'node:fs';
import path from 'node:path';
import { BundleLoadError } from './active-bundle-builder';
import { readBundleArchive, readBundleDirectory, type BundleFiles } from './bundle-files';
import type { BundleLoader, LoadOutcome } from './bundle-loader';

export interface WatchedBundleOptions {
  /** A bundle directory or a `.tar.gz` file. */
  location: string;
  kind: 'directory' | 'archive';
  loader: BundleLoader;
  /** How often the location is checked for changes. */
  intervalMs: number;
}

export interface WatchedBundle {
  /** Reads the location now (the first load, and what a change triggers). */
  reload(): Promise<LoadOutcome>;
  close(): void;
}

/**
 * A local bundle that is read at start and again whenever it changes on disk. Changes are found by
 * comparing names, sizes and modification times at each interval (fs.watch misses files in
 * directories created after it started), and read only once a check finds nothing new since the
 * previous one: a bundle being copied in is read when the copy is over (the debounce).
 */
export function watchBundle(options: WatchedBundleOptions): WatchedBundle {
  const { location, loader } = options;
  const read = options.kind === 'directory' ? () => readBundleDirectory(location) : () => readArchiveFile(location);
  const reload = () => loader.load(read);
  const fingerprint = options.kind === 'directory' ? () => directoryFingerprint(location) : () => fileFingerprint(location);
  let seen = fingerprint();
  let settling = false;
  const check = () => {
    const now = fingerprint();
    if (now !== seen) {
      seen = now;
      settling = true;
    } else if (settling) {
      settling = false;
      void reload();
    }
  };
  const timer = setInterval(check, options.intervalMs);
  timer.unref();
  return {
    reload,
    close: () => clearInterval(timer),
  };
}

async function readArchiveFile(file: string): Promise<BundleFiles> {
  const bytes = await fs.promises.readFile(file);
  try {
    return await readBundleArchive(bytes);
  } catch (error) {
    throw new BundleLoadError('parse', (error as Error).message);
  }
}

function fileFingerprint(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : 'absent';
}

function directoryFingerprint(dir: string): string {
  const parts: string[] = [];
  const visit = (current: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      parts.push(`${current}:unreadable`);
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else parts.push(`${full}:${fileFingerprint(full)}`);
    }
  };
  visit(dir);
  return parts.sort().join('\n');
}
