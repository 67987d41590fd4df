import { toJSON } from '../../../rego';
import { loadBundle } from '../../../rego/loader';
import type { ActiveBundle } from '../../engines/decision-engine';
import { createNativeEngine } from '../../engines/native-engine';
import { PolicyTestSetupError } from '../policy-tests/policy-test-run';
import { PLAYGROUND_ENTRYPOINTS, type ScratchModule } from '../console-contract';

/** The active bundle's Rego files, read from `PDP_BUNDLE` (a local directory or `.tar.gz`), to start a scratch copy from. */
export async function bundleModules(bundleSource: string): Promise<{ modules: ScratchModule[]; data: unknown; revision: string | null }> {
  if (/^https?:\/\//i.test(bundleSource)) throw new PolicyTestSetupError('the active bundle is fetched over HTTP: scratch editing needs PDP_BUNDLE to be a local directory or .tar.gz file');
  const loaded = await loadBundle(bundleSource);
  return {
    modules: loaded.modules.map((module) => ({ file: module.file, source: module.source })).sort((a, b) => a.file.localeCompare(b.file)),
    data: toJSON(loaded.data),
    revision: loaded.manifest?.revision || null,
  };
}

/**
 * A scratch copy of the bundle: its files with the edited ones replaced, compiled by the native engine
 * (throws the compiler's errors). It lives for one request and never becomes the active bundle.
 */
export async function compileScratchBundle(bundleSource: string, edits: readonly ScratchModule[]): Promise<ActiveBundle> {
  const base = await bundleModules(bundleSource);
  const byFile = new Map(base.modules.map((module) => [module.file, module.source]));
  for (const edit of edits) byFile.set(edit.file, edit.source);
  const engine = createNativeEngine({
    modules: [...byFile].map(([path, source]) => ({ path, source })),
    data: base.data,
    entrypoints: PLAYGROUND_ENTRYPOINTS,
  });
  return { revision: `scratch of ${base.revision ?? 'the active bundle'}`, engine, data: base.data, source: 'console scratch', activatedAt: new Date() };
}
