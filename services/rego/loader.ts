/**
 * The engine's only file I/O: policy/data paths as `opa -d` reads them, bundle directories and
 * `.tar.gz` bundles (OPA's bundle format), and conformance case directories. Everything read is
 * returned as text/bytes plus the merged `data` document; parsing and compiling happen elsewhere.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Parser as TarParser, type ReadEntry } from 'tar';
import { parse as parseYaml } from 'yaml';
import { parseJSONValue } from './json-value';
import { ObjectValue, fromJSON, isObject, type Value } from './value';

export interface SourceFile {
  /** As given (`-d` paths) or bundle-relative with `/` separators (bundles). */
  file: string;
  source: string;
}

export interface WasmResolver {
  entrypoint: string;
  module: string;
}

export interface BundleManifest {
  revision: string;
  /** Paths (`a/b`) this bundle owns; `['']` owns everything. */
  roots: string[];
  wasm: WasmResolver[];
  metadata?: Record<string, unknown>;
  rego_version?: number;
}

export interface LoadedPolicy {
  modules: SourceFile[];
  /** The merged data document (an object), numbers exact. */
  data: Value;
  /** The bundle's `.manifest`; null for plain `-d` paths or a bundle without one. */
  manifest: BundleManifest | null;
  /** `policy.wasm` (or the first module named in the manifest's wasm resolvers). */
  wasm?: Buffer;
  /** `.signatures.json`, parsed, for the caller to verify. */
  signatures?: unknown;
  /** Bundle-relative path → SHA-256 (hex) of every file but `.signatures.json`, for signature checks. */
  files: Map<string, string>;
}

export class LoaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoaderError';
  }
}

export interface ArchiveLimits {
  /** Largest single entry accepted (bytes). */
  maxEntryBytes: number;
  /** Largest total of all entries (bytes). */
  maxTotalBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024 };

// ------------------------------------------------------------------------------------ data merging

function isDataFile(name: string): boolean {
  return name.endsWith('.json') || name.endsWith('.yaml') || name.endsWith('.yml');
}

function parseDataFile(name: string, text: string): Value {
  try {
    if (name.endsWith('.yaml') || name.endsWith('.yml')) return fromJSON(parseYaml(text) ?? {});
    return parseJSONValue(text);
  } catch (e) {
    throw new LoaderError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Places `value` at `segments` inside `root`, merging objects key by key (the loader owns every
 * object here until it returns). Two non-object values, or an object and a non-object, meeting
 * at one path is a conflict naming both files.
 */
function mergeAt(root: ObjectValue, segments: string[], value: Value, origin: string, owners: Map<string, string>): void {
  if (segments.length === 0 && !isObject(value)) throw new LoaderError(`${origin}: the root of data must be an object`);
  let wrapped = value;
  for (let i = segments.length - 1; i >= 0; i--) wrapped = new ObjectValue().set(segments[i], wrapped);
  mergeObjects(root, wrapped as ObjectValue, [], origin, owners);
}

function mergeObjects(into: ObjectValue, from: ObjectValue, at: string[], origin: string, owners: Map<string, string>): void {
  for (const [k, v] of from.entries()) {
    const where = [...at, String(k)];
    const existing = into.get(k);
    if (existing === undefined) {
      into.set(k, v);
      owners.set(where.join('/'), origin);
    } else if (isObject(existing) && isObject(v)) {
      mergeObjects(existing, v, where, origin, owners);
    } else {
      const other = ownerOf(owners, where);
      throw new LoaderError(`${origin}: conflicts with ${other} at data.${where.join('.')}`);
    }
  }
}

function ownerOf(owners: Map<string, string>, where: string[]): string {
  for (let n = where.length; n > 0; n--) {
    const owner = owners.get(where.slice(0, n).join('/'));
    if (owner !== undefined) return owner;
  }
  return 'other data';
}

function dirSegments(relativeDir: string): string[] {
  return relativeDir === '.' || relativeDir === '' ? [] : relativeDir.split('/').filter((s) => s !== '');
}

// ------------------------------------------------------------------------------------ opa -d paths

/** Files under `dir` in name order, skipping hidden entries; symbolic links are followed once. */
function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (d: string): void => {
    const real = fs.realpathSync(d);
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      const stat = entry.isSymbolicLink() ? fs.statSync(full, { throwIfNoEntry: false }) : entry;
      if (!stat) continue;
      if (stat.isDirectory()) visit(full);
      else if (stat.isFile()) out.push(full);
    }
  };
  visit(dir);
  return out;
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Loads `-d PATH` arguments as `opa` does: `.rego` files become modules; `.json`/`.yaml` files
 * are data, placed at the path of their directory relative to the argument (so a `data.json` at
 * the root of a directory is the root of `data`); a file argument's data goes at the root.
 * `.tar.gz` arguments are read as bundles. Conflicting data is an error naming both files.
 */
export async function loadPaths(paths: readonly string[], limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<LoadedPolicy> {
  const modules: SourceFile[] = [];
  const data = new ObjectValue();
  const owners = new Map<string, string>();
  const files = new Map<string, string>();
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new LoaderError(`${p}: no such file or directory`);
    if (p.endsWith('.tar.gz') || p.endsWith('.tgz')) {
      const bundle = await loadBundleArchive(fs.readFileSync(p), limits);
      modules.push(...bundle.modules.map((m) => ({ file: `${p}/${m.file}`, source: m.source })));
      mergeAt(data, [], bundle.data, p, owners);
      continue;
    }
    const isDir = fs.statSync(p).isDirectory();
    for (const file of isDir ? walkFiles(p) : [p]) {
      const name = path.basename(file);
      if (!name.endsWith('.rego') && !isDataFile(name)) continue;
      const text = fs.readFileSync(file, 'utf8');
      files.set(file, sha256(text));
      if (name.endsWith('.rego')) {
        modules.push({ file, source: text });
      } else {
        const rel = isDir ? path.relative(p, path.dirname(file)).split(path.sep).join('/') : '';
        mergeAt(data, dirSegments(rel), parseDataFile(file, text), file, owners);
      }
    }
  }
  return { modules, data, manifest: null, files };
}

// ------------------------------------------------------------------------------------ bundles

function parseManifest(bytes: Buffer): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new LoaderError(`.manifest: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new LoaderError('.manifest: must be a JSON object');
  const m = raw as Record<string, unknown>;
  const roots = m.roots === undefined ? [''] : m.roots;
  if (!Array.isArray(roots) || !roots.every((r) => typeof r === 'string')) throw new LoaderError('.manifest: roots must be a list of strings');
  const wasm = Array.isArray(m.wasm) ? m.wasm : [];
  return {
    revision: typeof m.revision === 'string' ? m.revision : '',
    roots: (roots as string[]).map((r) => r.replace(/^\/+|\/+$/g, '')),
    wasm: wasm
      .filter((w): w is Record<string, unknown> => typeof w === 'object' && w !== null)
      .map((w) => ({ entrypoint: String(w.entrypoint ?? ''), module: String(w.module ?? '') })),
    ...(typeof m.metadata === 'object' && m.metadata !== null ? { metadata: m.metadata as Record<string, unknown> } : {}),
    ...(typeof m.rego_version === 'number' ? { rego_version: m.rego_version } : {}),
  };
}

function underRoots(segments: string[], roots: string[]): boolean {
  const p = segments.join('/');
  return roots.some((r) => r === '' || p === r || p.startsWith(r + '/') || r.startsWith(p === '' ? '' : p + '/'));
}

/** `package a.b` of a module source, without parsing the rest (for the manifest's roots check). */
function packageSegments(source: string): string[] | null {
  const m = /^\s*package\s+([^\s#]+)/m.exec(source.replace(/#[^\n]*/g, ''));
  if (!m) return null;
  return m[1].split('.').map((s) => s.replace(/^\["?|"?\]$/g, ''));
}

/** Builds a bundle from its files (bundle-relative path → bytes), as read from a directory or archive. */
export function assembleBundle(entries: ReadonlyMap<string, Buffer>): LoadedPolicy {
  const manifestBytes = entries.get('.manifest');
  const manifest = manifestBytes ? parseManifest(manifestBytes) : null;
  const roots = manifest?.roots ?? [''];
  const modules: SourceFile[] = [];
  const data = new ObjectValue();
  const owners = new Map<string, string>();
  const files = new Map<string, string>();
  let wasm: Buffer | undefined;
  let signatures: unknown;
  const wasmModules = new Set((manifest?.wasm ?? []).map((w) => w.module.replace(/^\/+/, '')));
  for (const name of [...entries.keys()].sort()) {
    const bytes = entries.get(name)!;
    if (name === '.signatures.json') {
      try {
        signatures = JSON.parse(bytes.toString('utf8'));
      } catch (e) {
        throw new LoaderError(`.signatures.json: ${e instanceof Error ? e.message : String(e)}`);
      }
      continue;
    }
    files.set(name, sha256(bytes));
    const base = path.posix.basename(name);
    const dir = path.posix.dirname(name);
    if (name.endsWith('.rego')) {
      const source = bytes.toString('utf8');
      const pkg = packageSegments(source);
      if (pkg && !underRoots(pkg, roots)) throw new LoaderError(`${name}: package ${pkg.join('.')} is outside the manifest roots [${roots.join(', ')}]`);
      modules.push({ file: name, source });
    } else if (base === 'data.json' || base === 'data.yaml' || base === 'data.yml') {
      const segments = dirSegments(dir);
      const value = parseDataFile(name, bytes.toString('utf8'));
      checkDataRoots(name, segments, value, roots);
      mergeAt(data, segments, value, name, owners);
    } else if (name.endsWith('.wasm') && (wasm === undefined) && (base === 'policy.wasm' || wasmModules.has(name))) {
      wasm = bytes;
    }
  }
  return { modules, data, manifest, files, ...(wasm ? { wasm } : {}), ...(signatures !== undefined ? { signatures } : {}) };
}

function checkDataRoots(file: string, segments: string[], value: Value, roots: string[]): void {
  if (roots.includes('')) return;
  const leaves: string[][] = [];
  if (isObject(value)) for (const k of value.keys()) leaves.push([...segments, String(k)]);
  else leaves.push(segments);
  for (const leaf of leaves) {
    if (!underRoots(leaf, roots)) throw new LoaderError(`${file}: data.${leaf.join('.')} is outside the manifest roots [${roots.join(', ')}]`);
  }
}

/** A bundle directory: `.manifest`, `data.json`/`data.yaml` placed by directory, `*.rego`, `policy.wasm`, `.signatures.json`. */
export function loadBundleDir(dir: string): LoadedPolicy {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new LoaderError(`${dir}: not a directory`);
  const entries = new Map<string, Buffer>();
  const visit = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      const keep = rel === '.manifest' || rel === '.signatures.json' || !entry.name.startsWith('.');
      if (!keep) continue;
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) entries.set(rel, fs.readFileSync(full));
    }
  };
  visit(dir);
  return assembleBundle(entries);
}

/** Normalises an archive entry name; null for names that would leave the bundle (`..`, absolute after stripping). */
function safeEntryName(raw: string): string | null {
  const name = raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  if (name === '' || /^[A-Za-z]:/.test(name)) return null;
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return null;
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

/** Reads the files of a (gzipped) tar archive into memory, refusing unsafe or oversized entries. */
export function readArchive(archive: Buffer, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Buffer>();
    let total = 0;
    let failed = false;
    const fail = (message: string): void => {
      if (failed) return;
      failed = true;
      reject(new LoaderError(message));
    };
    const parser = new TarParser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        if (failed) {
          entry.resume();
          return;
        }
        if (entry.type === 'Directory') {
          entry.resume();
          return;
        }
        if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
          entry.resume();
          return fail(`bundle archive: entry ${entry.path} is a ${entry.type}; only regular files are allowed`);
        }
        const name = safeEntryName(entry.path);
        if (name === null) {
          entry.resume();
          return fail(`bundle archive: entry ${entry.path} escapes the bundle`);
        }
        if ((entry.size ?? 0) > limits.maxEntryBytes) {
          entry.resume();
          return fail(`bundle archive: entry ${name} is larger than ${limits.maxEntryBytes} bytes`);
        }
        total += entry.size ?? 0;
        if (total > limits.maxTotalBytes) {
          entry.resume();
          return fail(`bundle archive: contents exceed ${limits.maxTotalBytes} bytes`);
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => entries.set(name, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (e: Error) => fail(`bundle archive: ${e.message}`));
    parser.on('warn', (code: string, message: string | Error) => {
      if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ENTRY_INVALID' || code === 'TAR_ABORT') fail(`bundle archive: ${String(message)}`);
    });
    parser.on('end', () => {
      if (!failed) resolve(entries);
    });
    parser.end(archive);
  });
}

/** A bundle `.tar.gz` (bytes). */
export async function loadBundleArchive(archive: Buffer, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<LoadedPolicy> {
  return assembleBundle(await readArchive(archive, limits));
}

/** A bundle directory or `.tar.gz` file. */
export async function loadBundle(p: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<LoadedPolicy> {
  if (!fs.existsSync(p)) throw new LoaderError(`${p}: no such file or directory`);
  if (fs.statSync(p).isDirectory()) return loadBundleDir(p);
  return loadBundleArchive(fs.readFileSync(p), limits);
}

/** Reads a JSON (exact numbers) or YAML input/data file. */
export function readDocument(file: string): Value {
  if (!fs.existsSync(file)) throw new LoaderError(`${file}: no such file`);
  return parseDataFile(file, fs.readFileSync(file, 'utf8'));
}

// ------------------------------------------------------------------------------------ conformance

export interface CaseFileText {
  /** The directory holding the file (OPA's category), e.g. `withkeyword`. */
  category: string;
  file: string;
  text: string;
}

/** Every `*.json` case file under `dir` (recursively), in a stable order. */
export function readConformanceDir(dir: string): CaseFileText[] {
  const out: CaseFileText[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.json')) {
        out.push({ category: path.basename(d), file: entry.name, text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(dir);
  return out;
}
