import type { VerifyResult } from '../../common/contracts/audit-event';
import { canonicalEvent, chainHash } from '../ingest/event-hash';
import type { AuditDatabase } from '../store/audit-database';
import { GENESIS_HASH } from '../store/audit-schema';
import { chainedEventOf, type EventRow } from '../store/event-row';
import { withStoreErrors } from '../store/store-errors';

export interface VerifyRange {
  /** Only this tenant; all tenants when undefined. */
  tenant?: string;
  /** Only events that occurred in [from, to); the links into the range are still checked. */
  from?: string;
  to?: string;
}

export interface ChainVerifier {
  verify(range: VerifyRange): Promise<VerifyResult>;
}

type Broken = NonNullable<VerifyResult['first_broken']>;

const PAGE_SIZE = 2000;

/**
 * Walks each tenant's chain in sequence order and checks every event: its hash against its content, its
 * `prev_hash` against the event before it (or, when retention dropped that one, the anchor recorded for
 * it), and, for a whole-chain check, that the chain ends where the chain head says.
 */
export function createChainVerifier(database: AuditDatabase): ChainVerifier {
  const { db } = database;

  async function predecessorHash(tenant: string, seq: number): Promise<string | undefined> {
    if (seq === 0) return GENESIS_HASH;
    const row = await db.selectFrom('audit_events').select('hash').where('tenant', '=', tenant).where('seq', '=', seq).executeTakeFirst();
    if (row) return row.hash;
    const anchor = await db
      .selectFrom('audit_chain_anchors')
      .select('last_hash')
      .where('tenant', '=', tenant)
      .where('to_seq', '=', seq)
      .executeTakeFirst();
    return anchor?.last_hash;
  }

  async function verifyTenant(tenant: string, range: VerifyRange): Promise<{ checked: number; broken: Broken | null }> {
    let checked = 0;
    let previous: { seq: number; hash: string } | undefined;
    for (;;) {
      let query = db.selectFrom('audit_events').selectAll().where('tenant', '=', tenant);
      if (previous) query = query.where('seq', '>', previous.seq);
      if (range.from) query = query.where('occurred_at', '>=', new Date(range.from));
      if (range.to) query = query.where('occurred_at', '<', new Date(range.to));
      const rows: EventRow[] = await query.orderBy('seq').limit(PAGE_SIZE).execute();
      for (const row of rows) {
        const broken = await checkRow(tenant, row, previous);
        if (broken) return { checked, broken };
        checked += 1;
        previous = { seq: Number(row.seq), hash: row.hash };
      }
      if (rows.length < PAGE_SIZE) break;
    }
    const whole = !range.from && !range.to;
    return { checked, broken: whole ? await checkTail(tenant, previous) : null };
  }

  async function checkRow(tenant: string, row: EventRow, previous: { seq: number; hash: string } | undefined): Promise<Broken | null> {
    const seq = Number(row.seq);
    const at = (reason: string): Broken => ({ tenant, seq, event_id: row.event_id, reason });
    if (previous && seq === previous.seq) return at('duplicate sequence number');
    const expectedPrev = previous && seq === previous.seq + 1 ? previous.hash : await predecessorHash(tenant, seq - 1);
    if (expectedPrev === undefined) return at(`event ${seq - 1} is missing and no retention anchor accounts for it`);
    if (row.prev_hash !== expectedPrev) return at("prev_hash does not match the previous event's hash");
    if (chainHash(row.prev_hash, canonicalEvent(chainedEventOf(row))) !== row.hash) return at("hash does not match the event's content");
    return null;
  }

  async function checkTail(tenant: string, last: { seq: number; hash: string } | undefined): Promise<Broken | null> {
    const head = await db.selectFrom('audit_chain_heads').select(['last_seq', 'last_hash']).where('tenant', '=', tenant).executeTakeFirst();
    if (!head) return null;
    const headSeq = Number(head.last_seq);
    if (last && last.seq === headSeq && last.hash === head.last_hash) return null;
    if (headSeq === 0 && !last) return null;
    if ((!last || last.seq < headSeq) && (await predecessorHash(tenant, headSeq)) === head.last_hash) return null;
    return {
      tenant,
      seq: (last?.seq ?? 0) + 1,
      event_id: null,
      reason: `the chain head is at event ${headSeq} but the stored chain ends at ${last?.seq ?? 0}`,
    };
  }

  return {
    verify: (range) =>
      withStoreErrors(async () => {
        const tenants = range.tenant
          ? [range.tenant]
          : (await db.selectFrom('audit_chain_heads').select('tenant').orderBy('tenant').execute()).map((row) => row.tenant);
        let checked = 0;
        for (const tenant of tenants) {
          const outcome = await verifyTenant(tenant, range);
          checked += outcome.checked;
          if (outcome.broken) return { ok: false, checked, first_broken: outcome.broken };
        }
        return { ok: true, checked, first_broken: null };
      }),
  };
}
