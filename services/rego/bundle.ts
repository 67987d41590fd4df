/**
 * Writes OPA's bundle format: a gzipped tar holding `.manifest`, the policy's `*.rego` files at
 * their relative paths, one root `data.json` with the merged data, and `policy.wasm` when present.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { create as createTar } from 'tar';
import { loadPaths, loadBundleDir, LoaderError, type BundleManifest } from './loader';
import { toJSONText } from './value';

export interface BuildBundleOptions {
  /** Recorded in `.manifest`; default: the source's `.manifest` revision, else empty. */
  revision?: string;
}

export interface BuiltBundle {
  /** Archive entry names, in the order written. */
  entries: string[];
  manifest: BundleManifest;
}

function readSourceManifest(dir: string): BundleManifest | null {
  if (!fs.existsSync(path.join(dir, '.manifest'))) return null;
  return loadBundleDir(dir).manifest;
}

/** Builds `output` (.tar.gz) from the policy directory `dir`, read as `-d dir` reads it. */
export async function buildBundle(dir: string, output: string, options: BuildBundleOptions = {}): Promise<BuiltBundle> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new LoaderError(`${dir}: not a directory`);
  const loaded = await loadPaths([dir]);
  const source = readSourceManifest(dir);
  const manifest: BundleManifest = {
    revision: options.revision ?? source?.revision ?? '',
    roots: source?.roots ?? [''],
    wasm: source?.wasm ?? [],
    ...(source?.metadata ? { metadata: source.metadata } : {}),
    ...(source?.rego_version !== undefined ? { rego_version: source.rego_version } : {}),
  };
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-authz-bundle-'));
  try {
    const entries: string[] = [];
    const put = (name: string, content: string | Buffer): void => {
      const target = path.join(staging, name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
      entries.push(name);
    };
    const { wasm, ...manifestFields } = manifest;
    put('.manifest', JSON.stringify(wasm.length > 0 ? { ...manifestFields, wasm } : manifestFields) + '\n');
    put('data.json', toJSONText(loaded.data) + '\n');
    for (const m of loaded.modules) put(path.relative(dir, m.file).split(path.sep).join('/'), m.source);
    const wasmFile = path.join(dir, 'policy.wasm');
    if (fs.existsSync(wasmFile)) put('policy.wasm', fs.readFileSync(wasmFile));
    fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
    await createTar({ gzip: true, cwd: staging, file: output, portable: true }, entries);
    return { entries, manifest };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
