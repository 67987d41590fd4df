import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import { readBundleArchive } from './bundle-files';
import { SIGNATURES_FILE, signBundle, type BundleSigning } from './bundle-signature';

/** Adds (or replaces) `.signatures.json` in a bundle `.tar.gz`, signing every other file in it. */
export async function signBundleArchive(file: string, signing: BundleSigning): Promise<{ signed: string[] }> {
  const files = new Map(await readBundleArchive(fs.readFileSync(file)));
  files.delete(SIGNATURES_FILE);
  files.set(SIGNATURES_FILE, await signBundle(files, signing));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-authz-signed-'));
  try {
    for (const [name, bytes] of files) {
      fs.mkdirSync(path.dirname(path.join(staging, name)), { recursive: true });
      fs.writeFileSync(path.join(staging, name), bytes);
    }
    const names = [SIGNATURES_FILE, ...[...files.keys()].filter((name) => name !== SIGNATURES_FILE).sort()];
    const written = path.join(staging, '..', `${path.basename(staging)}.tar.gz`);
    await createTar({ gzip: true, cwd: staging, file: written, portable: true }, names);
    fs.renameSync(written, file);
    return { signed: names.slice(1) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
