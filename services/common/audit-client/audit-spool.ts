import fs from 'node:fs';
import path from 'node:path';
import type { AuditEvent } from '../contracts/audit-event';

/** A batch written to disk: replayed whole, removed once the audit service acknowledged it. */
export interface SpoolSegment {
  file: string;
  events: AuditEvent[];
}

export interface SpoolDepth {
  segments: number;
  events: number;
  bytes: number;
}

/**
 * Append-only on-disk queue of event batches, one NDJSON file per batch, named by a counter so replay
 * follows recording order. Files are written under a temporary name and renamed, so a crash never leaves
 * half a batch. Every operation runs in turn (one chain of promises), so reads never see a file that
 * an earlier write has not finished.
 */
export interface AuditSpool {
  /** Appends batches; returns false (and writes nothing) when they would exceed the size limit. */
  append(batches: AuditEvent[][]): Promise<boolean>;
  /** Synchronous append for the last moment before exit. */
  appendNow(batches: AuditEvent[][]): boolean;
  oldest(): Promise<SpoolSegment | undefined>;
  remove(segment: SpoolSegment): Promise<void>;
  /** Keeps a batch the service refused (a 4xx) out of the replay but on disk for inspection. */
  setAside(segment: SpoolSegment): Promise<void>;
  depth(): SpoolDepth;
}

const SEGMENT = /^(\d{12})-(\d+)\.ndjson$/;

interface SegmentInfo {
  name: string;
  events: number;
  bytes: number;
}

export function openAuditSpool(directory: string, maxBytes: number): AuditSpool {
  fs.mkdirSync(directory, { recursive: true });
  const segments: SegmentInfo[] = fs
    .readdirSync(directory)
    .map((name) => ({ name, match: SEGMENT.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ name, events: Number(match[2]), bytes: fs.statSync(path.join(directory, name)).size }))
    .sort((a, b) => a.name.localeCompare(b.name));
  let counter = segments.reduce((highest, segment) => Math.max(highest, Number(segment.name.slice(0, 12))), 0);
  let chain: Promise<unknown> = Promise.resolve();

  const serialized = <T>(operation: () => Promise<T> | T): Promise<T> => {
    const next = chain.then(operation, operation);
    chain = next.catch(() => undefined);
    return next;
  };
  const totalBytes = () => segments.reduce((sum, segment) => sum + segment.bytes, 0);

  function encode(batches: AuditEvent[][]): { name: string; text: string; events: number }[] | undefined {
    const encoded = batches
      .filter((batch) => batch.length > 0)
      .map((batch) => ({ text: batch.map((event) => JSON.stringify(event)).join('\n') + '\n', events: batch.length }));
    const bytes = encoded.reduce((sum, entry) => sum + Buffer.byteLength(entry.text), 0);
    if (totalBytes() + bytes > maxBytes) return undefined;
    return encoded.map((entry) => {
      counter += 1;
      return { ...entry, name: `${String(counter).padStart(12, '0')}-${entry.events}.ndjson` };
    });
  }

  function record(entry: { name: string; text: string; events: number }): void {
    segments.push({ name: entry.name, events: entry.events, bytes: Buffer.byteLength(entry.text) });
  }

  return {
    append: (batches) =>
      serialized(async () => {
        const encoded = encode(batches);
        if (!encoded) return false;
        for (const entry of encoded) {
          const temporary = path.join(directory, `${entry.name}.tmp`);
          await fs.promises.writeFile(temporary, entry.text);
          await fs.promises.rename(temporary, path.join(directory, entry.name));
          record(entry);
        }
        return true;
      }),
    appendNow(batches) {
      const encoded = encode(batches);
      if (!encoded) return false;
      for (const entry of encoded) {
        const temporary = path.join(directory, `${entry.name}.tmp`);
        fs.writeFileSync(temporary, entry.text);
        fs.renameSync(temporary, path.join(directory, entry.name));
        record(entry);
      }
      return true;
    },
    oldest: () =>
      serialized(async () => {
        const first = segments[0];
        if (!first) return undefined;
        const text = await fs.promises.readFile(path.join(directory, first.name), 'utf8');
        const events = text
          .split('\n')
          .filter((line) => line.length > 0)
          .map((line) => JSON.parse(line) as AuditEvent);
        return { file: first.name, events };
      }),
    remove: (segment) =>
      serialized(async () => {
        await fs.promises.rm(path.join(directory, segment.file), { force: true });
        forget(segment.file);
      }),
    setAside: (segment) =>
      serialized(async () => {
        await fs.promises.rename(path.join(directory, segment.file), path.join(directory, `${segment.file}.rejected`));
        forget(segment.file);
      }),
    depth: () => ({
      segments: segments.length,
      events: segments.reduce((sum, segment) => sum + segment.events, 0),
      bytes: totalBytes(),
    }),
  };

  function forget(name: string): void {
    const index = segments.findIndex((segment) => segment.name === name);
    if (index >= 0) segments.splice(index, 1);
  }
}
