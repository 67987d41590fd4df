import { loadAuditConfig, type Environment } from '../../common';
import { openMigratedDatabase } from '../../audit/open-store';
import { createDeadLetters } from '../../audit/siem/dead-letters';
import { parseSinks, sinkNamesOf } from '../../audit/siem/sink-config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeadLettersListArgs {
  sink?: string | undefined;
  limit: number;
  all: boolean;
  json: boolean;
}

export interface DeadLettersRedriveArgs {
  sink?: string | undefined;
  eventIds?: string[] | undefined;
}

/** `mcp-authz dead-letters list`: SIEM deliveries given up on, newest first, straight from the database. */
export async function list(args: DeadLettersListArgs, env: Environment = process.env, cwd: string = process.cwd()): Promise<number> {
  const { database } = await openMigratedDatabase(loadAuditConfig(env, cwd));
  try {
    const page = await createDeadLetters(database).list({ sink: args.sink, includeRedriven: args.all }, args.limit);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(page.dead_letters, null, 2)}\n`);
    } else if (page.dead_letters.length === 0) {
      process.stdout.write('no dead letters\n');
    } else {
      for (const letter of page.dead_letters) {
        const redriven = letter.redriven_at ? ` (redriven ${letter.redriven_at})` : '';
        process.stdout.write(`${letter.dead_at}  ${letter.sink}  ${letter.event_id}  attempts ${letter.attempts}${redriven}  ${letter.last_error ?? ''}\n`);
      }
    }
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * `mcp-authz dead-letters redrive`: queues dead letters of the configured sinks (`AUDIT_SINKS`) again; a
 * running audit service's relay picks them up.
 */
export async function redrive(args: DeadLettersRedriveArgs, env: Environment = process.env, cwd: string = process.cwd()): Promise<number> {
  const config = loadAuditConfig(env, cwd);
  const configured = sinkNamesOf(parseSinks(config.sinks));
  if (args.sink !== undefined && !configured.includes(args.sink)) {
    process.stderr.write(`mcp-authz: no configured sink ${args.sink} (AUDIT_SINKS has: ${configured.join(', ') || 'none'})\n`);
    return 2;
  }
  const malformed = args.eventIds?.find((id) => !UUID.test(id));
  if (malformed !== undefined) {
    process.stderr.write(`mcp-authz: --event-id ${malformed} is not a UUID\n`);
    return 2;
  }
  const { database } = await openMigratedDatabase(config);
  try {
    const redriven = await createDeadLetters(database).redrive({
      sinks: args.sink !== undefined ? [args.sink] : configured,
      eventIds: args.eventIds?.map((id) => id.toLowerCase()),
      limit: 100_000,
    });
    process.stdout.write(`${redriven} dead letter(s) queued again\n`);
    return 0;
  } finally {
    await database.close();
  }
}
