import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../common';
import type { BatchBody } from './batch-body';
import type { BatchPreparer } from './batch-preparer';
import { errorOf, pendingEventsOf, type PreparationReply, type PreparationTask } from './preparation-messages';
import type { PendingEvent } from './pending-event';

export interface PreparationWorkersOptions {
  /** Worker threads (`AUDIT_INGEST_WORKERS`), at least one. */
  workers: number;
  /** `AUDIT_REDACT_KEYS`: each worker builds its own redactor. */
  redactKeys: readonly string[];
  logger: Logger;
  /** Starts one worker thread; tests wrap it to reach the threads. */
  spawn?: (redactKeys: readonly string[]) => Worker;
}

interface Task {
  resolve: (pending: PendingEvent[]) => void;
  reject: (error: Error) => void;
}

/** One worker thread, absent after it exited, with the tasks it has not answered yet. */
interface Slot {
  worker: Worker | undefined;
  tasks: Map<number, Task>;
}

/**
 * Batches prepared in worker threads: each batch goes to the worker with the fewest unanswered ones, its
 * bytes handed over rather than copied where they own their memory. A worker that exits (a crash, memory
 * exhaustion) fails its unanswered batches, which the producers retry, and is started again for the next
 * batch. Workers start at once, so the first batch does not wait for one to load.
 */
export function createPreparationWorkers(options: PreparationWorkersOptions): BatchPreparer {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error('preparation workers: expected at least one worker');
  const slots: Slot[] = Array.from({ length: options.workers }, () => ({ worker: undefined, tasks: new Map() }));
  let nextId = 0;
  let closed = false;

  const spawn = options.spawn ?? spawnPreparationWorker;
  const start = (slot: Slot): Worker => {
    const worker = spawn(options.redactKeys);
    worker.unref();
    worker.on('message', (reply: PreparationReply) => {
      const task = slot.tasks.get(reply.id);
      slot.tasks.delete(reply.id);
      if (reply.ok) task?.resolve(pendingEventsOf(reply.texts));
      else task?.reject(errorOf(reply.error));
    });
    worker.on('error', (error) => options.logger.error({ err: error }, 'an audit preparation worker failed'));
    worker.on('exit', (code) => {
      if (slot.worker === worker) slot.worker = undefined;
      if (!closed) options.logger.error({ code, unanswered: slot.tasks.size }, 'an audit preparation worker exited; it starts again with the next batch');
      const failure = new Error(`the audit preparation worker exited (code ${code}) before it prepared the batch`);
      for (const task of slot.tasks.values()) task.reject(failure);
      slot.tasks.clear();
    });
    slot.worker = worker;
    return worker;
  };
  for (const slot of slots) start(slot);

  return {
    prepare(body: BatchBody) {
      if (closed) return Promise.reject(new Error('the audit preparation workers are closed'));
      const slot = slots.reduce((least, candidate) => (candidate.tasks.size < least.tasks.size ? candidate : least));
      const worker = slot.worker ?? start(slot);
      const id = nextId++;
      return new Promise<PendingEvent[]>((resolve, reject) => {
        slot.tasks.set(id, { resolve, reject });
        const bytes = body.bytes === undefined ? undefined : ownedBytes(body.bytes);
        worker.postMessage({ id, body: { ...body, bytes } } satisfies PreparationTask, bytes === undefined ? [] : [bytes.buffer]);
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker?.terminate()));
    },
  };
}

/**
 * Bytes whose ArrayBuffer is theirs alone, which can be handed over to the worker: a large body's as it is;
 * a small one sits in Node's shared Buffer pool, and cloning its view would copy the whole pool along.
 */
function ownedBytes(bytes: Uint8Array): Uint8Array & { buffer: ArrayBuffer } {
  const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes : new Uint8Array(bytes)) as Uint8Array & { buffer: ArrayBuffer };
}

/**
 * Compiled, the worker's module sits beside this one as `.js`; run from TypeScript sources (tests, the
 * benchmark) the thread first loads the hook that compiles them, as the process it belongs to did.
 */
export function spawnPreparationWorker(redactKeys: readonly string[]): Worker {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `preparation-worker${extension}`);
  const workerData = { redactKeys: [...redactKeys] };
  if (extension === '.js') return new Worker(entry, { workerData });
  const register = path.join(__dirname, '../../common/register-typescript.js');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
