import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The last good downloaded bundle, as it came from the server, with the ETag it came with. */
export interface CachedBundle {
  archive: Buffer;
  etag: string | null;
}

export interface BundleCache {
  read(): CachedBundle | null;
  write(bundle: CachedBundle): Promise<void>;
}

const metadataSchema = z.object({ source: z.string(), etag: z.string().nullable(), saved_at: z.string() });

/**
 * One folder per bundle URL under `dir`. Files are written beside their final name and renamed into
 * place (the archive first, so a crash never pairs a new ETag with an old archive), which also keeps
 * cluster workers that save the same bundle at once from reading a half-written file.
 */
export function bundleCache(dir: string, source: string): BundleCache {
  const folder = bundleCacheFolder(dir, source);
  const archiveFile = path.join(folder, 'bundle.tar.gz');
  const metadataFile = path.join(folder, 'bundle.json');
  return {
    read() {
      try {
        const metadata = metadataSchema.parse(JSON.parse(fs.readFileSync(metadataFile, 'utf8')));
        if (metadata.source !== source) return null;
        return { archive: fs.readFileSync(archiveFile), etag: metadata.etag };
      } catch {
        return null;
      }
    },
    async write(bundle) {
      await fs.promises.mkdir(folder, { recursive: true });
      await replaceFile(archiveFile, bundle.archive);
      await replaceFile(metadataFile, JSON.stringify({ source, etag: bundle.etag, saved_at: new Date().toISOString() }) + '\n');
    },
  };
}

/** The folder under `dir` where what the PDP keeps about one bundle source lives (archive, history). */
export function bundleCacheFolder(dir: string, source: string): string {
  return path.join(dir, createHash('sha256').update(source).digest('hex').slice(0, 16));
}

async function replaceFile(file: string, content: Buffer | string): Promise<void> {
  const staging = `${file}.${randomUUID()}.tmp`;
  await fs.promises.writeFile(staging, content, { mode: 0o600 });
  await fs.promises.rename(staging, file);
}
