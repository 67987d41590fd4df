import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DecisionEngine } from '../engines/decision-engine';
import type { RegoBundleContents } from '../engines/native-engine';
import { createBundleSlot, type BundleSlot } from './bundle-source';

/**
 * Interim loader until bundle distribution lands: reads a bundle directory once at start
 * (`.manifest`, `*.rego`, `data.json` placed by directory). No watching, archives, URLs or signatures.
 */
export const DEFAULT_ENTRYPOINTS = ['mcp/gateway/decision', 'mcp/a2a/decision'] as const;

export type EngineFactory = (contents: RegoBundleContents) => DecisionEngine;

export function directoryBundleSource(dir: string, buildEngine: EngineFactory, now: () => Date = () => new Date()): BundleSlot {
  const slot = createBundleSlot(dir, now);
  try {
    const { contents, revision } = readBundleDirectory(dir);
    slot.activate({ revision, engine: buildEngine(contents), data: contents.data, source: dir, activatedAt: now() });
  } catch (error) {
    slot.fail(error instanceof Error ? error.message : String(error));
  }
  return slot;
}

export function readBundleDirectory(dir: string): { contents: RegoBundleContents; revision: string } {
  const modules: { path: string; source: string }[] = [];
  const data: Record<string, unknown> = {};
  const digest = createHash('sha256');
  for (const file of filesUnder(dir)) {
    const relative = path.relative(dir, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    digest.update(relative).update('\0').update(text);
    if (relative.endsWith('.rego')) modules.push({ path: relative, source: text });
    else if (path.basename(relative) === 'data.json') placeData(data, path.posix.dirname(relative), JSON.parse(text), relative);
  }
  const manifest = readManifest(dir);
  const revision = manifest.revision || `sha256:${digest.digest('hex').slice(0, 16)}`;
  return { contents: { modules, data, entrypoints: DEFAULT_ENTRYPOINTS }, revision };
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !hiddenPath(path.relative(dir, path.join(entry.parentPath, entry.name))))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function hiddenPath(relative: string): boolean {
  return relative.split(path.sep).some((part) => part.startsWith('.'));
}

function placeData(root: Record<string, unknown>, dir: string, value: unknown, file: string): void {
  const segments = dir === '.' ? [] : dir.split('/');
  let node = root;
  for (const segment of segments) {
    const next = node[segment];
    if (next === undefined) node[segment] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new Error(`${file}: conflicts with data at ${segment}`);
    node = node[segment] as Record<string, unknown>;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file}: must hold a JSON object`);
  Object.assign(node, value);
}

function readManifest(dir: string): { revision: string } {
  const file = path.join(dir, '.manifest');
  if (!fs.existsSync(file)) return { revision: '' };
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { revision?: unknown };
  return { revision: typeof manifest.revision === 'string' ? manifest.revision : '' };
}
