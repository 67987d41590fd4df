import type { ChainedEvent } from '../../ingest/stored-event';

/** ArcSight Common Event Format: `CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|Extension`. */

const PRODUCT_VERSION = '0.1.0';

function escapeHeader(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function escapeExtension(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r\n|\r|\n/g, '\\n');
}

function severityOf(event: ChainedEvent): number {
  if (event.error !== undefined) return 7;
  return event.decision === 'deny' ? 5 : 1;
}

function nameOf(event: ChainedEvent): string {
  const subject = [event.action, event.tool ?? event.uri ?? event.prompt].filter((part) => part !== undefined).join(' ');
  const verdict = event.decision === 'allow' ? 'allowed' : event.decision === 'deny' ? 'denied' : event.event_type;
  return subject ? `${subject} ${verdict}` : verdict;
}

export function toCefMessage(event: ChainedEvent): string {
  const extension: [string, string | number | undefined][] = [
    ['rt', Date.parse(event.occurred_at)],
    ['externalId', event.event_id],
    ['act', event.decision],
    ['outcome', event.outcome],
    ['suser', event.principal?.id],
    ['reason', event.reason],
    ['request', event.uri],
    ['requestMethod', event.action],
    ['cs1Label', 'tenant'],
    ['cs1', event.tenant],
    ['cs2Label', 'server'],
    ['cs2', event.server],
    ['cs3Label', 'tool'],
    ['cs3', event.tool],
    ['cs4Label', 'policyRevision'],
    ['cs4', event.revision],
    ['cs5Label', 'agentId'],
    ['cs5', event.agent_id],
    ['cs6Label', 'decisionId'],
    ['cs6', event.decision_id],
  ];
  const pairs = extension
    .filter(([key, value]) => value !== undefined && !(key.endsWith('Label') && extension.find(([k]) => k === key.slice(0, -5))?.[1] === undefined))
    .map(([key, value]) => `${key}=${escapeExtension(String(value))}`);
  const header = ['CEF:0', 'mcp-authz', 'mcp-authz', PRODUCT_VERSION, `${event.event_type}:${event.decision ?? 'none'}`, nameOf(event), String(severityOf(event))];
  return `${header.map((field, index) => (index === 0 ? field : escapeHeader(field))).join('|')}|${pairs.join(' ')}`;
}
