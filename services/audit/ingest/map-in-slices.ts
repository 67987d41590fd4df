import { setImmediate as nextTurn } from 'node:timers/promises';

/** Events handled between two turns of the event loop: one to two milliseconds of work. */
export const EVENTS_PER_SLICE = 100;

/**
 * `items.map(fn)` in slices, giving the event loop a turn between them. Validating and preparing a batch of
 * 1000 events is 20 ms or more of synchronous work; meanwhile the round trips of another batch's
 * transaction, which holds its tenant's chain head and so keeps every other writer of the tenant waiting,
 * would wait too. A batch that fits in one slice runs without a pause.
 */
export async function mapInSlices<T, R>(items: readonly T[], fn: (item: T, index: number) => R): Promise<R[]> {
  const results = new Array<R>(items.length);
  for (let start = 0; start < items.length; start += EVENTS_PER_SLICE) {
    if (start > 0) await nextTurn();
    const end = Math.min(items.length, start + EVENTS_PER_SLICE);
    for (let index = start; index < end; index++) results[index] = fn(items[index] as T, index);
  }
  return results;
}
