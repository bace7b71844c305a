import { type Kysely, sql } from 'kysely';
import type { FakeLark } from '../../test/fakes/lark-server.js';
import { clickedItemId, type Workload } from './workload.js';

/** What the fake Lark's log and the database say about one drill. */
export interface Tally {
  /** Reminders (item, recipient) the round planned, and how each was delivered. */
  reminders: { planned: number; once: number; lost: number; duplicated: number };
  /** Every message (send/reply) the service wrote, by its uuid in Lark's log. */
  messages: { total: number; once: number; lost: number; duplicated: number };
  /** Messages whose uuid Lark received more than once (a retry or a takeover; Lark kept one). */
  resent: number;
  /** Outbox rows failed or flagged (never sent). */
  unsent: number;
  clicks: { total: number; once: number; notApplied: number; twice: number };
}

export function tallyFailed(t: Tally): string[] {
  const out: string[] = [];
  if (t.reminders.lost > 0) out.push(`${t.reminders.lost} reminder(s) lost`);
  if (t.reminders.duplicated > 0) out.push(`${t.reminders.duplicated} reminder(s) duplicated`);
  if (t.messages.lost > 0) out.push(`${t.messages.lost} message(s) lost`);
  if (t.messages.duplicated > 0) out.push(`${t.messages.duplicated} message(s) duplicated`);
  if (t.unsent > 0) out.push(`${t.unsent} outbox row(s) failed or flagged`);
  if (t.clicks.notApplied > 0) out.push(`${t.clicks.notApplied} click(s) not applied`);
  if (t.clicks.twice > 0) out.push(`${t.clicks.twice} click(s) applied twice`);
  return out;
}

export async function tally(db: Kysely<any>, fake: FakeLark, w: Workload): Promise<Tally> {
  const rows = (
    await sql<{
      uuid: string;
      status: string;
      purpose: string;
      receive_id: string | null;
      item_ids: string[];
    }>`
      select uuid, status, purpose, receive_id, item_ids from outbox where operation in ('send', 'reply')`.execute(
      db,
    )
  ).rows;
  const byUuid = new Map<string, number>();
  for (const m of fake.messages) if (m.uuid) byUuid.set(m.uuid, (byUuid.get(m.uuid) ?? 0) + 1);
  const attempts = new Map<string, number>();
  for (const r of fake.requests) if (r.uuid) attempts.set(r.uuid, (attempts.get(r.uuid) ?? 0) + 1);

  const messages = { total: rows.length, once: 0, lost: 0, duplicated: 0 };
  const rowOf = new Map(rows.map((r) => [r.uuid, r]));
  for (const r of rows) {
    const n = byUuid.get(r.uuid) ?? 0;
    if (n === 0) messages.lost++;
    else if (n === 1) messages.once++;
    else messages.duplicated++;
  }
  const unsent = rows.filter((r) => r.status === 'failed' || r.status === 'flagged').length;

  // Reminders by recipient and item: each planned pair must be in exactly one delivered card.
  const planned = (
    await sql<{ item_id: string; recipient: string }>`select item_id, recipient from reminders`.execute(db)
  ).rows;
  const seen = new Map<string, number>();
  for (const m of fake.messages) {
    const row = m.uuid ? rowOf.get(m.uuid) : undefined;
    if (!row || (row.purpose !== 'reminder' && row.purpose !== 'escalation')) continue;
    for (const item of row.item_ids) {
      const key = `${row.receive_id}\u0000${item}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  const reminders = { planned: planned.length, once: 0, lost: 0, duplicated: 0 };
  for (const p of planned) {
    const n = seen.get(`${p.recipient}\u0000${p.item_id}`) ?? 0;
    if (n === 0) reminders.lost++;
    else if (n === 1) reminders.once++;
    else reminders.duplicated++;
  }

  const ids = Array.from({ length: w.clicks }, (_, j) => clickedItemId(j, w));
  const done = new Map(
    (
      await sql<{ item_id: string; n: number }>`
        select item_id, count(*)::int as n from item_history
        where action = 'done' and item_id = any(${ids}) group by item_id`.execute(db)
    ).rows.map((r) => [r.item_id, r.n]),
  );
  const clicks = { total: w.clicks, once: 0, notApplied: 0, twice: 0 };
  for (const id of ids) {
    const n = done.get(id) ?? 0;
    if (n === 0) clicks.notApplied++;
    else if (n === 1) clicks.once++;
    else clicks.twice++;
  }
  const resent = [...attempts.entries()].filter(([uuid, n]) => n > 1 && rowOf.has(uuid)).length;
  return { reminders, messages, resent, unsent, clicks };
}
