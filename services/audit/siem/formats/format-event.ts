import type { ChainedEvent } from '../../ingest/stored-event';
import type { ForwardedEvent } from '../forwarded-event';
import type { EventFormat } from '../sink-config';
import { toEcsEvent } from './ecs-event';
import { toOcsfApiActivity } from './ocsf-api-activity';

/** The event as a sink's configured format has it: OCSF, ECS, or the stored event itself. */
export function formatEvent(event: ChainedEvent, format: EventFormat): Record<string, unknown> {
  if (format === 'ocsf') return toOcsfApiActivity(event);
  if (format === 'ecs') return toEcsEvent(event);
  return { ...event };
}

/** The formatted event as JSON text; the raw format of an event held as canonical JSON is that text as it is. */
export function formattedJson(forwarded: ForwardedEvent, format: EventFormat): string {
  if (format === 'raw' && forwarded.canonical !== undefined) return forwarded.canonical;
  return JSON.stringify(formatEvent(forwarded.event, format));
}
