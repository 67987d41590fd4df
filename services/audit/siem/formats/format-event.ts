import type { ChainedEvent } from '../../ingest/stored-event';
import type { EventFormat } from '../sink-config';
import { toEcsEvent } from './ecs-event';
import { toOcsfApiActivity } from './ocsf-api-activity';

/** The event as a sink's configured format has it: OCSF, ECS, or the stored event itself. */
export function formatEvent(event: ChainedEvent, format: EventFormat): Record<string, unknown> {
  if (format === 'ocsf') return toOcsfApiActivity(event);
  if (format === 'ecs') return toEcsEvent(event);
  return { ...event };
}
