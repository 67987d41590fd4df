import type { DeliveryQueue } from './delivery-queue';

/**
 * The relays' database calls through at most `slots` at a time, whatever the number of sinks and workers,
 * so forwarding never holds more than its share of the connection pool ingest also uses.
 */
export function boundedQueue(queue: DeliveryQueue, slots: number): DeliveryQueue {
  let busy = 0;
  const waiting: (() => void)[] = [];

  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (busy >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    else busy++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      // The slot passes straight to the next caller, so `busy` only drops when nobody waits.
      if (next) next();
      else busy--;
    }
  }

  return {
    claim: (...args) => withSlot(() => queue.claim(...args)),
    releaseExpiredLeases: (...args) => withSlot(() => queue.releaseExpiredLeases(...args)),
    markDelivered: (...args) => withSlot(() => queue.markDelivered(...args)),
    scheduleRetry: (...args) => withSlot(() => queue.scheduleRetry(...args)),
    release: (...args) => withSlot(() => queue.release(...args)),
    deadLetter: (...args) => withSlot(() => queue.deadLetter(...args)),
    lagSeconds: (...args) => withSlot(() => queue.lagSeconds(...args)),
  };
}
