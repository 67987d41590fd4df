// The console API's answers: the types the PDP's routes and the audit service build them with, imported
// as types only, so nothing of the server reaches the bundle and a change on either side fails the type-check.
export type {
  BundleReport,
  ConsoleRole,
  ConsoleSession as Session,
  DecisionDocument,
  ExplainedRule,
  PlaygroundEntrypoint as Entrypoint,
  PlaygroundExample,
  PlaygroundResult,
  PolicyTestOutcome as TestOutcome,
  PolicyTestReport,
  ScratchComparison,
  ScratchModule,
  SinkHealth,
  SinksReport,
} from '../../../services/pdp/console/console-contract';

export type { DeadLetter, EventPage, StoredAuditEvent as AuditEvent, VerifyResult } from '../../../services/common/contracts/audit-event';

// The proxy's tool pins contract, as the PDP passes it on (types only: nothing of it reaches the bundle).
export type { PinnedTool } from '../../../services/common/contracts/tool-pins';
