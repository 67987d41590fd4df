import type { AuditDatabase } from './store/audit-database';
import { createIngestClaims, type IngestClaims } from './siem/ingest-claims';
import { createRecentEvents, type RecentEvents } from './siem/recent-events';
import { createEventWriter, type EventWriter } from './store/event-writer';
import { createPartitions, type Partitions } from './store/partitions';
import { createEventQueries, type EventQueries } from './query/event-query';
import { createChainVerifier, type ChainVerifier } from './verify/chain-verifier';

/** Everything that reads and writes the audit tables, over one database. */
export interface AuditStore {
  database: AuditDatabase;
  partitions: Partitions;
  writer: EventWriter;
  queries: EventQueries;
  verifier: ChainVerifier;
  /** With sinks: what this store committed last, for this instance's relays (`createSiemForwarder`). */
  recentEvents: RecentEvents | undefined;
  /** With sinks: where this instance's relays offer to take rows written already claimed (`createSiemForwarder`). */
  ingestClaims: IngestClaims | undefined;
}

export function createAuditStore(database: AuditDatabase, sinkNames: readonly string[] = []): AuditStore {
  const partitions = createPartitions(database);
  const recentEvents = sinkNames.length > 0 ? createRecentEvents() : undefined;
  const ingestClaims = sinkNames.length > 0 ? createIngestClaims() : undefined;
  return {
    database,
    partitions,
    writer: createEventWriter({ database, partitions, sinkNames, recentEvents, ingestClaims }),
    recentEvents,
    ingestClaims,
    queries: createEventQueries(database),
    verifier: createChainVerifier(database),
  };
}
