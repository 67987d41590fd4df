import type { ActiveBundle } from '../engines/decision-engine';
import { memoryBundleHistory, type BundleHistory, type BundleHistoryEntry } from './bundle-history';

export { BUNDLE_HISTORY_LENGTH, type BundleHistoryEntry } from './bundle-history';

/** What `/health?bundles` reports about the bundle: the active revision and the last failure, if any. */
export interface BundleStatus {
  /** Where the bundle comes from (`PDP_BUNDLE` as given). */
  source: string;
  activeRevision: string | null;
  activatedAt: Date | null;
  /** The last load that failed (the active bundle, if any, stayed in place). */
  lastError: { message: string; at: Date } | null;
  /** The last time the source was checked for a new bundle, whatever came of it. */
  lastCheckAt: Date | null;
  /** Activations and refusals, newest first (the last `BUNDLE_HISTORY_LENGTH`). */
  history: BundleHistoryEntry[];
}

/**
 * The decision path's view of bundle distribution: the bundle in force right now. `current()` is read
 * once per decision, so a decision runs entirely on one revision even while a new one is activated.
 */
export interface BundleSource {
  current(): ActiveBundle | null;
  status(): BundleStatus;
  /** Stops watching or polling. */
  close(): Promise<void>;
}

/** A bundle source that loaders drive: `activate` swaps the bundle atomically, `fail` keeps the last good one. */
export interface BundleSlot extends BundleSource {
  activate(bundle: ActiveBundle): void;
  fail(message: string): void;
  /** A check that found nothing new (same bundle, HTTP 304). */
  checked(): void;
  onClose(hook: () => Promise<void> | void): void;
}

export function createBundleSlot(source: string, now: () => Date = () => new Date(), history: BundleHistory = memoryBundleHistory()): BundleSlot {
  let active: ActiveBundle | null = null;
  let lastError: BundleStatus['lastError'] = null;
  let lastCheckAt: Date | null = null;
  const remember = (entry: BundleHistoryEntry): void => {
    lastCheckAt = entry.at;
    history.record(entry);
  };
  const closeHooks: (() => Promise<void> | void)[] = [];
  return {
    current: () => active,
    status: () => ({
      source,
      activeRevision: active?.revision ?? null,
      activatedAt: active?.activatedAt ?? null,
      lastError,
      lastCheckAt,
      history: history.entries(),
    }),
    activate(bundle) {
      active = bundle;
      lastError = null;
      remember({ kind: 'activated', revision: bundle.revision, engine: bundle.engine.kind, at: now() });
    },
    fail(message) {
      lastError = { message, at: now() };
      remember({ kind: 'failed', message, at: lastError.at });
    },
    checked() {
      lastCheckAt = now();
    },
    onClose(hook) {
      closeHooks.push(hook);
    },
    async close() {
      for (const hook of closeHooks) await hook();
    },
  };
}

/** A fixed bundle (or none), for tests and embedders that build the engine themselves. */
export function staticBundleSource(bundle: ActiveBundle | null, source = bundle?.source ?? 'static'): BundleSlot {
  const slot = createBundleSlot(source);
  if (bundle) slot.activate(bundle);
  return slot;
}
