import type { PdpEngine } from '../../common';
import { assembleBundle, type LoadedPolicy } from '../../rego/loader';
import { toJSON } from '../../rego/value';
import type { ActiveBundle, DecisionEngine } from '../engines/decision-engine';
import { createNativeEngine } from '../engines/native-engine';
import { entrypointRoutedEngine } from '../engines/entrypoint-routed-engine';
import { createWasmEngine } from '../engines/wasm-engine';
import { bundleDigest, type BundleFiles } from './bundle-files';
import type { BundleVerification } from './bundle-settings';
import { verifyBundleSignature } from './bundle-signature';
import { DEFAULT_ENTRYPOINTS } from './directory-bundle-source';

/** Why a bundle was not activated (the `reason` label of `pdp_bundle_failures_total`). */
export type BundleFailureReason = 'download' | 'parse' | 'verify' | 'compile';
export const BUNDLE_FAILURE_REASONS: readonly BundleFailureReason[] = ['download', 'parse', 'verify', 'compile'];

export class BundleLoadError extends Error {
  constructor(
    readonly reason: BundleFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'BundleLoadError';
  }
}

export interface ActiveBundleOptions {
  engine: PdpEngine;
  /** When set, the bundle must carry a valid `.signatures.json` over exactly its files. */
  verification?: BundleVerification;
  source: string;
  now?: () => Date;
}

/**
 * Everything a bundle needs before it may serve decisions: signature, format, and a compiled engine.
 * Nothing here touches the active bundle, so any failure leaves the last good one in force.
 */
export async function buildActiveBundle(files: BundleFiles, options: ActiveBundleOptions): Promise<ActiveBundle> {
  const verification = options.verification;
  if (verification) await step('verify', () => verifyBundleSignature(files, verification));
  const loaded = await step('parse', () => assembleBundle(files));
  const data = toJSON(loaded.data);
  const engine = await step('compile', () => engineFor(loaded, data, options.engine));
  return {
    revision: loaded.manifest?.revision || `sha256:${bundleDigest(files).slice(0, 16)}`,
    engine,
    data,
    source: options.source,
    activatedAt: (options.now ?? (() => new Date()))(),
  };
}

/**
 * `native` compiles the Rego; `wasm` runs `policy.wasm` alone; `auto` runs `policy.wasm` when the bundle
 * carries one (for the entrypoints it was compiled for, the bundle's Rego answering any other path, as
 * OPA's wasm resolvers do) and the Rego otherwise.
 */
async function engineFor(loaded: LoadedPolicy, data: unknown, choice: PdpEngine): Promise<DecisionEngine> {
  const rego = () => createNativeEngine({ modules: loaded.modules.map((m) => ({ path: m.file, source: m.source })), data, entrypoints: DEFAULT_ENTRYPOINTS });
  if (choice === 'native' || (choice === 'auto' && loaded.wasm === undefined)) return rego();
  if (loaded.wasm === undefined) throw new Error('PDP_ENGINE=wasm but the bundle has no policy.wasm');
  const wasm = await createWasmEngine({ wasm: loaded.wasm, data });
  return choice === 'wasm' || loaded.modules.length === 0 ? wasm : entrypointRoutedEngine(wasm, rego());
}

async function step<T>(reason: BundleFailureReason, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new BundleLoadError(reason, error instanceof Error ? error.message : String(error));
  }
}
