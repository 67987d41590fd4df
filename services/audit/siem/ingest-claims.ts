/**
 * Claim on insert: when this instance runs a relay for a sink that can send now and has room, ingest writes
 * that sink's delivery rows already `in_flight` with the relay's lease (the values its claim would write)
 * and, after the commit, hands them to the relay in memory. The relay then skips the claim statement for
 * them and only records the outcome. The rows' status and lease are the same as after a claim, so an
 * instance that dies leaves them to lease expiry like any claimed row.
 */

/** The attempt count a claim gives a fresh row (it counts the attempt it starts), written as is by ingest. */
export const FIRST_ATTEMPT = 1;

/** A delivery row ingest wrote already claimed, with its event as stored. */
export interface InsertedClaim {
  id: string;
  eventId: string;
  canonical: string;
  occurredAt: string;
}

/** Room a relay set aside for one ingest transaction's rows. Exactly one of `handOver` or `cancel` follows. */
export interface ClaimReservation {
  /** How long the rows are the relay's (their `next_attempt_at` is now + this). */
  readonly leaseMs: number;
  /** After the commit: the rows written `in_flight` for this sink. */
  handOver(rows: readonly InsertedClaim[]): void;
  /** The transaction did not commit: nothing was written. */
  cancel(): void;
}

/** What a relay offers ingest. */
export interface ClaimInbox {
  /** Room for `rows` rows holding `chars` characters of event text, or undefined when the relay cannot send now or is full. */
  reserve(rows: number, chars: number): ClaimReservation | undefined;
}

/** Between the store (which writes the rows) and the relays of the same instance (which register when started). */
export interface IngestClaims {
  register(sink: string, inbox: ClaimInbox): void;
  /** The reservations of the sinks whose relay can take `rows` rows now; the other sinks' rows are written `pending`. */
  reserve(sinks: readonly string[], rows: number, chars: number): Map<string, ClaimReservation>;
}

export function createIngestClaims(): IngestClaims {
  const inboxes = new Map<string, ClaimInbox>();
  return {
    register(sink, inbox) {
      inboxes.set(sink, inbox);
    },
    reserve(sinks, rows, chars) {
      const reservations = new Map<string, ClaimReservation>();
      for (const sink of sinks) {
        const reservation = inboxes.get(sink)?.reserve(rows, chars);
        if (reservation) reservations.set(sink, reservation);
      }
      return reservations;
    },
  };
}
