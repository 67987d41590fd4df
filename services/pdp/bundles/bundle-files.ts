import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readArchive } from '../../rego/loader';

/** A bundle's files by bundle-relative path (`/` separators), as read from a directory or an archive. */
export type BundleFiles = ReadonlyMap<string, Buffer>;

/** The files of a bundle directory; hidden entries are skipped except `.manifest` and `.signatures.json`. */
export function readBundleDirectory(dir: string): BundleFiles {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${dir}: not a directory`);
  const files = new Map<string, Buffer>();
  const visit = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      if (entry.name.startsWith('.') && relative !== '.manifest' && relative !== '.signatures.json') continue;
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) files.set(relative, fs.readFileSync(full));
    }
  };
  visit(dir);
  return files;
}

/** The files of a gzipped tar bundle. */
export function readBundleArchive(archive: Buffer): Promise<BundleFiles> {
  return readArchive(archive);
}

/** A digest of names and contents: equal digests mean there is nothing new to activate. */
export function bundleDigest(files: BundleFiles): string {
  const digest = createHash('sha256');
  for (const name of [...files.keys()].sort()) digest.update(name).update('\0').update(files.get(name)!).update('\0');
  return digest.digest('hex');
}
