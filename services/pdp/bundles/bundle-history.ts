export type BundleHistoryEntry = { kind: 'activated'; revision: string; engine: string; at: Date } | { kind: 'failed'; message: string; at: Date };

/** How many activations and refusals a history keeps. */
export const BUNDLE_HISTORY_LENGTH = 50;

/** Where a bundle slot keeps its activations and refusals. */
export interface BundleHistory {
  record(entry: BundleHistoryEntry): void;
  /** Newest first, at most {@link BUNDLE_HISTORY_LENGTH}. */
  entries(): BundleHistoryEntry[];
}

/** The history of this process only (tests, embedders, and the fallback when no file can be kept). */
export function memoryBundleHistory(limit: number = BUNDLE_HISTORY_LENGTH): BundleHistory {
  const entries: BundleHistoryEntry[] = [];
  return {
    record(entry) {
      entries.unshift(entry);
      if (entries.length > limit) entries.pop();
    },
    entries: () => [...entries],
  };
}
