import fs from 'node:fs';
import path from 'node:path';
import type { PdpConfig } from '../../common';
import { createNativeEngine } from '../engines/native-engine';
import { createBundleSlot, type BundleSource } from './bundle-source';
import { directoryBundleSource } from './directory-bundle-source';

/**
 * Interim: a `PDP_BUNDLE` directory through the native engine. Archives, URLs and the wasm engine
 * come with bundle distribution; until then they leave the PDP without a bundle (so it denies).
 */
export function openBundleSource(config: PdpConfig, cwd: string = process.cwd()): BundleSource {
  const location = path.resolve(cwd, config.bundle);
  const isDirectory = !/^https?:\/\//.test(config.bundle) && fs.existsSync(location) && fs.statSync(location).isDirectory();
  if (config.engine !== 'wasm' && isDirectory) return directoryBundleSource(location, createNativeEngine);
  const slot = createBundleSlot(config.bundle);
  slot.fail(
    config.engine === 'wasm'
      ? 'PDP_ENGINE=wasm is not available yet'
      : `PDP_BUNDLE ${config.bundle} is not a directory (archives and URLs are not supported yet)`,
  );
  return slot;
}
