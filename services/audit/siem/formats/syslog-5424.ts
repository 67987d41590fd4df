import type { ChainedEvent } from '../../ingest/stored-event';

/** RFC 5424 message and RFC 6587 / 5425 octet-counting frame. */

export interface SyslogHeader {
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
}

/** Structured-data id under the documentation enterprise number of RFC 5612. */
const SD_ID = 'mcpAuthz@32473';
const BOM = '\uFEFF';

/** 3 error, 4 warning (denied), 6 informational. */
function severityOf(event: ChainedEvent): number {
  if (event.error !== undefined) return 3;
  return event.decision === 'deny' ? 4 : 6;
}

function sdValue(value: string): string {
  return value.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

function structuredData(event: ChainedEvent): string {
  const params: [string, string | undefined][] = [
    ['eventId', event.event_id],
    ['tenant', event.tenant],
    ['decision', event.decision],
    ['principal', event.principal?.id],
    ['server', event.server],
    ['tool', event.tool],
  ];
  return `[${SD_ID}${params
    .filter((param): param is [string, string] => param[1] !== undefined)
    .map(([name, value]) => ` ${name}="${sdValue(value)}"`)
    .join('')}]`;
}

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] BOM MSG` */
export function syslogMessage(event: ChainedEvent, header: SyslogHeader, message: string): string {
  const pri = header.facility * 8 + severityOf(event);
  const msgId = event.event_type.slice(0, 32) || '-';
  return `<${pri}>1 ${event.occurred_at} ${header.hostname} ${header.appName} ${header.procId} ${msgId} ${structuredData(event)} ${BOM}${message}`;
}

/** Octet counting: the message's length in bytes, a space, the message. */
export function octetCountedFrame(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}
