import type { Logger, Readiness } from '../../common';
import type { UpstreamConfig } from '../config/servers-file';
import { createUpstream, type Upstream, type UpstreamEvents } from './upstream';

export interface UpstreamPool {
  get(name: string): Upstream | undefined;
  names(): string[];
  all(): Upstream[];
  /** Starts every upstream; resolves once each has tried to connect once (failures keep retrying). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface UpstreamPoolOptions {
  servers: Record<string, UpstreamConfig>;
  baseDir: string;
  logger: Logger;
  events: UpstreamEvents;
  readiness?: Readiness;
  requestTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number };
}

export function createUpstreamPool(options: UpstreamPoolOptions): UpstreamPool {
  const upstreams = new Map<string, Upstream>();
  for (const [name, config] of Object.entries(options.servers)) {
    upstreams.set(
      name,
      createUpstream({
        name,
        config,
        baseDir: options.baseDir,
        logger: options.logger,
        events: options.events,
        requestTimeoutMs: options.requestTimeoutMs,
        backoff: options.backoff,
      }),
    );
  }
  options.readiness?.register('upstreams', () => {
    const down = [...upstreams.values()].filter((upstream) => upstream.state() !== 'ready').map((upstream) => upstream.name);
    return down.length === 0 ? { ready: true, detail: `${upstreams.size} initialized` } : { ready: false, detail: `not initialized: ${down.join(', ')}` };
  });
  return {
    get: (name) => upstreams.get(name),
    names: () => [...upstreams.keys()],
    all: () => [...upstreams.values()],
    async start() {
      await Promise.all([...upstreams.values()].map((upstream) => upstream.start()));
    },
    async close() {
      await Promise.all([...upstreams.values()].map((upstream) => upstream.close()));
    },
  };
}
