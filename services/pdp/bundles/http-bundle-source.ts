import type { Logger } from 'pino';
import { DEFAULT_ARCHIVE_LIMITS } from '../../rego/loader';
import { BundleLoadError } from './active-bundle-builder';
import type { BundleCache } from './bundle-cache';
import { readBundleArchive, type BundleFiles } from './bundle-files';
import type { BundleLoader, LoadOutcome } from './bundle-loader';

export interface HttpBundleOptions {
  url: string;
  /** Sent as `Authorization: Bearer …`; never logged. */
  token?: string;
  loader: BundleLoader;
  /** Where the last good bundle is kept for a restart while the server is down. */
  cache?: BundleCache;
  minDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  logger: Logger;
  /** In [0, 1); picks each delay between the bounds. */
  random?: () => number;
}

export type PollOutcome = LoadOutcome | { kind: 'not-modified' };

export interface HttpBundle {
  /** One conditional download, activated when it is new and good. */
  poll(): Promise<PollOutcome>;
  /** Activates the persisted bundle, if there is one and it still verifies and compiles. */
  restoreFromCache(): Promise<boolean>;
  /** Polls forever, each time after a delay drawn between the bounds (so a fleet does not poll in step). */
  start(): void;
  close(): void;
}

/** A bundle server polled with `If-None-Match`: 304 means the active bundle is current. */
export function httpBundleSource(options: HttpBundleOptions): HttpBundle {
  const { url, loader, cache, logger } = options;
  const random = options.random ?? Math.random;
  const closing = new AbortController();
  let etag: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const download = async (): Promise<{ status: 304 } | { status: 200; archive: Buffer; etag: string | null }> => {
    const headers: Record<string, string> = { accept: 'application/gzip, application/octet-stream' };
    if (etag !== null) headers['if-none-match'] = etag;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.any([closing.signal, AbortSignal.timeout(options.timeoutMs)]) });
    } catch (error) {
      throw new BundleLoadError('download', `GET ${url}: ${describeFetchError(error)}`);
    }
    if (response.status === 304) return { status: 304 };
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new BundleLoadError('download', `GET ${url}: HTTP ${response.status}`);
    }
    try {
      return { status: 200, archive: await bodyWithin(response, MAX_DOWNLOAD_BYTES), etag: response.headers.get('etag') };
    } catch (error) {
      throw new BundleLoadError('download', `GET ${url}: ${describeFetchError(error)}`);
    }
  };

  const poll = async (): Promise<PollOutcome> => {
    let answer: Awaited<ReturnType<typeof download>>;
    try {
      answer = await download();
    } catch (error) {
      const failure = error as BundleLoadError;
      // A download cut short by close() is the shutdown, not a bundle failure.
      if (!stopped) loader.fail(failure);
      return { kind: 'failed', error: failure };
    }
    if (answer.status === 304) {
      loader.slot.checked();
      return { kind: 'not-modified' };
    }
    const outcome = await loader.load(() => filesOf(answer.archive));
    if (outcome.kind === 'failed') return outcome;
    etag = answer.etag;
    if (outcome.kind === 'activated' && cache) await persist(answer.archive, answer.etag);
    return outcome;
  };

  const persist = async (archive: Buffer, newEtag: string | null): Promise<void> => {
    try {
      await cache!.write({ archive, etag: newEtag });
    } catch (error) {
      logger.warn({ bundle: url, error: (error as Error).message }, 'policy bundle could not be saved for restarts');
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    const delay = options.minDelayMs + random() * (options.maxDelayMs - options.minDelayMs);
    timer = setTimeout(() => void poll().finally(schedule), delay);
    timer.unref();
  };

  return {
    poll,
    async restoreFromCache() {
      const cached = cache?.read();
      if (!cached) return false;
      const outcome = await loader.load(() => filesOf(cached.archive));
      if (outcome.kind !== 'activated') return false;
      etag = cached.etag;
      logger.info({ bundle: url, revision: outcome.bundle.revision }, 'policy bundle restored from the local copy');
      return true;
    },
    start: schedule,
    close() {
      stopped = true;
      clearTimeout(timer);
      closing.abort();
    },
  };
}

/** The archive reader's own limit on its contents, applied to the download before it is all in memory. */
const MAX_DOWNLOAD_BYTES = DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;

async function bodyWithin(response: Response, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength;
    // Leaving the loop by throwing cancels the rest of the download.
    if (total > maxBytes) throw new Error(`bundle larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function filesOf(archive: Buffer): Promise<BundleFiles> {
  try {
    return await readBundleArchive(archive);
  } catch (error) {
    throw new BundleLoadError('parse', (error as Error).message);
  }
}

/** undici says `fetch failed` and puts the reason (ECONNREFUSED, timeout…) in `cause`. */
function describeFetchError(error: unknown): string {
  const failure = error as Error & { cause?: { message?: string; code?: string } };
  if (failure.name === 'TimeoutError') return 'timed out';
  const cause = failure.cause?.code ?? failure.cause?.message;
  return cause ? `${failure.message} (${cause})` : failure.message;
}
