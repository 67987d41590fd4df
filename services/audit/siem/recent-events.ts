import { oldestKeyOf } from '../../common/collections/oldest-key';

/** An event this instance stored: its canonical JSON (the text its hash covers) and its time. */
export interface RecentEvent {
  canonical: string;
  occurredAt: string;
}

/**
 * The events this instance committed last, kept for its SIEM relays: a row the relay claims soon after
 * ingest is sent from here instead of being read back from `audit_events` and rebuilt (which cost about
 * as much CPU as the claim itself). The outbox rows stay the only record of what is due; an event not
 * held here (evicted, stored by another instance, or before a restart) is read from the database.
 * Stored events never change, so the text held here is the stored text.
 */
export interface RecentEvents {
  /** Called only after the events' transaction committed, and only for events it stored. */
  remember(events: readonly { eventId: string; canonical: string; occurredAt: string }[]): void;
  get(eventId: string): RecentEvent | undefined;
}

/** About 16 MB of one-byte text: at 20,000 events/s of ~700 bytes, more than a second of forwarding lag. */
const DEFAULT_MAX_CHARS = 16 * 1024 * 1024;

/** Bounded by the total length of the texts held; the oldest go first. */
export function createRecentEvents(maxChars: number = DEFAULT_MAX_CHARS): RecentEvents {
  const held = new Map<string, RecentEvent>();
  const oldest = oldestKeyOf(held);
  let chars = 0;

  return {
    remember(events) {
      for (const { eventId, canonical, occurredAt } of events) {
        if (canonical.length > maxChars || held.has(eventId)) continue;
        held.set(eventId, { canonical, occurredAt });
        chars += canonical.length;
      }
      while (chars > maxChars) {
        const key = oldest() as string;
        chars -= (held.get(key) as RecentEvent).canonical.length;
        held.delete(key);
      }
    },
    get: (eventId) => held.get(eventId),
  };
}
