import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import { createLogger } from '../../../common';

/** Bundle files by bundle-relative path. */
export type FixtureFiles = Record<string, string | Buffer>;

/** A bundle whose gateway decision names its revision, so a response shows which bundle decided it. */
export function revisionBundle(revision: string, extra: FixtureFiles = {}): FixtureFiles {
  return {
    '.manifest': JSON.stringify({ revision, roots: ['mcp'] }),
    'mcp/gateway/policy.rego': [
      'package mcp.gateway',
      '',
      `decision := {"allow": true, "reasons": [concat(" ", ["decided by", data.mcp.gateway.revision])], "cache_ttl": 0}`,
      '',
    ].join('\n'),
    'mcp/gateway/data.json': JSON.stringify({ revision }),
    ...extra,
  };
}

export function tempDir(prefix = 'mcp-authz-bundles-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes the files under `dir`, replacing what was there. */
export function writeBundleDir(dir: string, files: FixtureFiles): void {
  for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

export async function bundleArchive(files: FixtureFiles): Promise<Buffer> {
  const staging = tempDir('mcp-authz-archive-');
  try {
    writeBundleDir(staging, files);
    const output = path.join(staging, '..', `${path.basename(staging)}.tar.gz`);
    await createTar({ gzip: true, cwd: staging, file: output, portable: true }, Object.keys(files));
    const bytes = fs.readFileSync(output);
    fs.rmSync(output);
    return bytes;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

export function filesMap(files: FixtureFiles): Map<string, Buffer> {
  return new Map(Object.entries(files).map(([name, content]) => [name, Buffer.isBuffer(content) ? content : Buffer.from(content)]));
}

export const silentLogger = () => createLogger({ service: 'pdp', level: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent' });
