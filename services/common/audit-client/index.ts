// The audit client's public surface, for the PDP and the proxy.
export { createAuditClient, defaultSpoolDir, type AuditClient, type AuditClientOptions } from './audit-client';
export type { DropReason } from './audit-client-metrics';
export { newEventId } from './event-id';
export type { SpoolDepth } from './audit-spool';
export * from '../contracts/audit-event';
