import { createHash } from 'node:crypto';
import { loadBundleDir } from '../../rego/loader';
import { toJSON } from '../../rego/value';
import type { DecisionEngine } from '../engines/decision-engine';
import type { RegoBundleContents } from '../engines/native-engine';
import { createBundleSlot, type BundleSlot } from './bundle-source';

/** The policy documents the PDP's own endpoints evaluate. */
export const DEFAULT_ENTRYPOINTS = ['mcp/gateway/decision', 'mcp/a2a/decision'] as const;

export type EngineFactory = (contents: RegoBundleContents) => DecisionEngine;

/**
 * A bundle directory read once, synchronously, into an engine the caller builds (tests and embedders).
 * The service itself uses `openBundleSource`, which watches, verifies signatures and keeps the last good bundle.
 */
export function directoryBundleSource(dir: string, buildEngine: EngineFactory, now: () => Date = () => new Date()): BundleSlot {
  const slot = createBundleSlot(dir, now);
  try {
    const loaded = loadBundleDir(dir);
    const data = toJSON(loaded.data);
    const engine = buildEngine({ modules: loaded.modules.map((m) => ({ path: m.file, source: m.source })), data, entrypoints: DEFAULT_ENTRYPOINTS });
    const revision = loaded.manifest?.revision || `sha256:${digestOf(loaded.files)}`;
    slot.activate({ revision, engine, data, source: dir, activatedAt: now() });
  } catch (error) {
    slot.fail(error instanceof Error ? error.message : String(error));
  }
  return slot;
}

/** Over the loader's per-file digests, so any change to any file gives another revision. */
function digestOf(fileDigests: ReadonlyMap<string, string>): string {
  const digest = createHash('sha256');
  for (const name of [...fileDigests.keys()].sort()) digest.update(name).update('\0').update(fileDigests.get(name)!).update('\0');
  return digest.digest('hex').slice(0, 16);
}
