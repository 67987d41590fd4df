import type { ClaimedDelivery } from './delivery-queue';
import { forwardedFromCanonical } from './forwarded-event';
import { FIRST_ATTEMPT, type ClaimReservation, type InsertedClaim } from './ingest-claims';

/**
 * A relay's rows that ingest wrote already claimed (`ingest-claims.ts`), waiting in memory to be sent. Bounded
 * in rows and characters, counting what ingest transactions still in progress reserved.
 */
export interface HandedOverRows {
  reserve(rows: number, chars: number, leaseMs: number): ClaimReservation | undefined;
  /** Up to `limit` rows, oldest first, now the caller's to send and record. */
  take(limit: number): ClaimedDelivery[];
  /** Every row waiting, to give back (the relay stops or cannot send). */
  takeAll(): ClaimedDelivery[];
  readonly waiting: number;
  /** Resolves once no reservation is outstanding (each one handed over or cancelled). */
  settled(): Promise<void>;
}

export interface HandedOverLimits {
  maxRows: number;
  maxChars: number;
  /** Called after rows arrive, with how many wait now. */
  onArrival(waiting: number): void;
}

export function createHandedOverRows(limits: HandedOverLimits): HandedOverRows {
  let rows: ClaimedDelivery[] = [];
  let chars = 0;
  const charsOf = new Map<string, number>();
  let reservedRows = 0;
  let reservedChars = 0;
  let outstanding = 0;
  let whenSettled: (() => void)[] = [];

  function settleOne(): void {
    outstanding--;
    if (outstanding > 0) return;
    const waiters = whenSettled;
    whenSettled = [];
    for (const resolve of waiters) resolve();
  }

  function remove(taken: ClaimedDelivery[]): ClaimedDelivery[] {
    for (const row of taken) {
      chars -= charsOf.get(row.id) ?? 0;
      charsOf.delete(row.id);
    }
    return taken;
  }

  return {
    reserve(count, text, leaseMs) {
      if (rows.length + reservedRows + count > limits.maxRows || chars + reservedChars + text > limits.maxChars) return undefined;
      reservedRows += count;
      reservedChars += text;
      outstanding++;
      let done = false;
      const finish = () => {
        if (done) throw new Error('a claim reservation is settled once');
        done = true;
        reservedRows -= count;
        reservedChars -= text;
      };
      return {
        leaseMs,
        handOver(inserted: readonly InsertedClaim[]) {
          finish();
          for (const { id, eventId, canonical, occurredAt } of inserted) {
            rows.push({ id, eventId, attempts: FIRST_ATTEMPT, event: forwardedFromCanonical(eventId, canonical, occurredAt) });
            charsOf.set(id, canonical.length);
            chars += canonical.length;
          }
          settleOne();
          if (inserted.length > 0) limits.onArrival(rows.length);
        },
        cancel() {
          finish();
          settleOne();
        },
      };
    },
    take(limit) {
      return remove(rows.splice(0, limit));
    },
    takeAll() {
      const all = rows;
      rows = [];
      return remove(all);
    },
    get waiting() {
      return rows.length;
    },
    settled() {
      if (outstanding === 0) return Promise.resolve();
      return new Promise((resolve) => whenSettled.push(resolve));
    },
  };
}
