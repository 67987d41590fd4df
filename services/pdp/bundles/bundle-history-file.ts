import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { BUNDLE_HISTORY_LENGTH, memoryBundleHistory, type BundleHistory, type BundleHistoryEntry } from './bundle-history';

export interface BundleHistoryFileOptions {
  /** A JSON-lines file, oldest line first. */
  file: string;
  /**
   * Whether this process appends. Every worker of a cluster activates the same bundle, so one of them
   * (worker 0) writes and all of them read: one line per activation, the same list on every worker.
   */
  writer: boolean;
  logger: Logger;
  limit?: number;
}

const lineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('activated'), revision: z.string(), engine: z.string(), at: z.iso.datetime() }),
  z.object({ kind: z.literal('failed'), message: z.string(), at: z.iso.datetime() }),
]);

/**
 * The bundle history kept on disk beside the last good bundle, so it survives restarts. Lines are
 * appended; once the file holds twice the limit it is rewritten with the newest `limit` lines
 * (through a rename, so readers never see half of it). Unreadable lines are skipped. When the file
 * cannot be written, this process keeps its history in memory and says so once in the log.
 */
export function fileBundleHistory(options: BundleHistoryFileOptions): BundleHistory {
  const { file, logger } = options;
  const limit = options.limit ?? BUNDLE_HISTORY_LENGTH;
  let cached: { stamp: string; entries: BundleHistoryEntry[]; lines: number } = { stamp: '', entries: [], lines: 0 };
  let fallback: BundleHistory | undefined;

  function read(): typeof cached {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    const stamp = stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : 'absent';
    if (stamp === cached.stamp) return cached;
    const lines = stat ? readLines(file) : [];
    const entries = lines.flatMap(parsed).slice(-limit).reverse();
    cached = { stamp, entries, lines: lines.length };
    return cached;
  }

  function append(entry: BundleHistoryEntry): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, `${JSON.stringify(serialised(entry))}\n`, { mode: 0o600 });
    const { entries, lines } = read();
    if (lines > 2 * limit) rewrite(file, entries.slice().reverse());
  }

  function readable(): BundleHistoryEntry[] {
    try {
      return [...read().entries];
    } catch (error) {
      logger.warn({ err: error, file }, 'bundle history file cannot be read');
      return [];
    }
  }

  return {
    record(entry) {
      if (!options.writer) return;
      if (fallback) return fallback.record(entry);
      try {
        append(entry);
      } catch (error) {
        logger.error({ err: error, file }, 'bundle history file cannot be written: this process keeps its history in memory');
        fallback = memoryBundleHistory(limit);
        for (const earlier of readable().reverse()) fallback.record(earlier);
        fallback.record(entry);
      }
    },
    entries: () => (fallback ? fallback.entries() : readable()),
  };
}

function readLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim().length > 0);
}

function parsed(line: string): BundleHistoryEntry[] {
  try {
    const entry = lineSchema.parse(JSON.parse(line));
    return [{ ...entry, at: new Date(entry.at) }];
  } catch {
    return [];
  }
}

function serialised(entry: BundleHistoryEntry): z.infer<typeof lineSchema> {
  return { ...entry, at: entry.at.toISOString() };
}

function rewrite(file: string, oldestFirst: BundleHistoryEntry[]): void {
  const staging = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(staging, oldestFirst.map((entry) => `${JSON.stringify(serialised(entry))}\n`).join(''), { mode: 0o600 });
  fs.renameSync(staging, file);
}
