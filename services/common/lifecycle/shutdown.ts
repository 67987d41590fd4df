import type { Logger } from 'pino';

export type ShutdownHook = () => Promise<void> | void;

/**
 * What a process does when asked to stop, in three phases: `stop` (servers stop accepting and drain,
 * in parallel), `flush` (buffers such as audit queues are written, in registration order), `close`
 * (database pools and the like, in parallel). A failing hook is logged and does not stop the others.
 */
export interface Shutdown {
  onStop(name: string, hook: ShutdownHook): void;
  onFlush(name: string, hook: ShutdownHook): void;
  onClose(name: string, hook: ShutdownHook): void;
  /** Runs every phase once; later calls return the same promise. Resolves true when every hook succeeded. */
  run(reason: string): Promise<boolean>;
  readonly started: boolean;
}

interface NamedHook {
  name: string;
  hook: ShutdownHook;
}

export function createShutdown(logger: Logger): Shutdown {
  const stops: NamedHook[] = [];
  const flushes: NamedHook[] = [];
  const closes: NamedHook[] = [];
  let running: Promise<boolean> | undefined;

  async function runHook({ name, hook }: NamedHook): Promise<boolean> {
    try {
      await hook();
      return true;
    } catch (error) {
      logger.error({ err: error, hook: name }, 'shutdown hook failed');
      return false;
    }
  }

  async function runAll(reason: string): Promise<boolean> {
    logger.info({ reason }, 'shutting down');
    const stopped = await Promise.all(stops.map(runHook));
    const flushed: boolean[] = [];
    for (const hook of flushes) flushed.push(await runHook(hook));
    const closed = await Promise.all(closes.map(runHook));
    const ok = [...stopped, ...flushed, ...closed].every(Boolean);
    logger.info({ ok }, 'shutdown complete');
    return ok;
  }

  return {
    onStop: (name, hook) => void stops.push({ name, hook }),
    onFlush: (name, hook) => void flushes.push({ name, hook }),
    onClose: (name, hook) => void closes.push({ name, hook }),
    run(reason) {
      running ??= runAll(reason);
      return running;
    },
    get started() {
      return running !== undefined;
    },
  };
}
