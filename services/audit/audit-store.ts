import type { AuditDatabase } from './store/audit-database';
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
}

export function createAuditStore(database: AuditDatabase, sinkNames: readonly string[] = []): AuditStore {
  const partitions = createPartitions(database);
  return {
    database,
    partitions,
    writer: createEventWriter({ database, partitions, sinkNames }),
    queries: createEventQueries(database),
    verifier: createChainVerifier(database),
  };
}
