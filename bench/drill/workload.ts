import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { jobRegistry } from '../../jobs/registry.js';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import { addDays, atLocal, localDate, localTime, toZonedIso } from '../../src/domain/time.js';
import { encryptLark, larkSignature } from '../../src/lark/crypto.js';

/**
 * What a drill puts in flight: `reminders` overdue tasks spread over `people` handlers (one
 * reminder round card each, naming all their items), and `clicks` other tasks, each closed by a
 * 办结 click of its handler while the round is being sent.
 */
export interface Workload {
  reminders: number;
  people: number;
  clicks: number;
}

const DEPTS = 10;
export const TIME_ZONE = 'Asia/Shanghai';

/** The last round instant (09:00 of a working day, office time) at or before `now`. */
export function lastRoundAt(now: Date): Date {
  const calendar = createWorkCalendar();
  let date = localDate(now, TIME_ZONE);
  if (!calendar.isWorkday(date) || localTime(now, TIME_ZONE) < '09:00') date = calendar.previousWorkday(date);
  return atLocal(date, '09:00', TIME_ZONE);
}

export const clickedItemId = (j: number, w: Workload) => `T-${w.reminders + j + 1}`;
export const personOf = (n: number) => `ou_p${String(n).padStart(5, '0')}`;

/**
 * The office of a drill, written straight into a migrated database: departments, people, the
 * overdue tasks of the round (overdue by two hours at `at`, so red without escalation), the tasks
 * to be clicked (due in 20 days), and every schedule off (the drill runs the round itself).
 */
export async function seedWorkload(db: Kysely<any>, w: Workload, at: Date): Promise<void> {
  await sql`insert into departments (code, name, is_top) values ('office', '办公厅', true)`.execute(db);
  await sql`insert into departments (code, name)
    select 'd' || g, '处室' || g from generate_series(0, ${DEPTS - 1}) g`.execute(db);
  await sql`insert into people (open_id, name, dept_code, roles)
    select 'ou_p' || lpad(g::text, 5, '0'), '员工' || g, 'd' || (g % ${DEPTS}), '{staff}'
    from generate_series(0, ${w.people - 1}) g`.execute(db);
  await sql`insert into people (open_id, name, dept_code, roles)
    select 'ou_chief' || g, '处长' || g, 'd' || g, '{chief}' from generate_series(0, ${DEPTS - 1}) g`.execute(
    db,
  );
  const overdue = new Date(at.getTime() - 2 * 3600_000);
  const created = new Date(at.getTime() - 5 * 86_400_000);
  const later = atLocal(addDays(localDate(at, TIME_ZONE), 20), '18:00', TIME_ZONE);
  const total = w.reminders + w.clicks;
  await sql`insert into items (id, kind, title, status, source, lead_dept, dept, assignee, due_at, original_due_at, created_at, updated_at)
    select 'T-' || g, 'task', '督办事项' || g, 'open', 'other',
      'd' || (((g - 1) % ${w.people}) % ${DEPTS}), 'd' || (((g - 1) % ${w.people}) % ${DEPTS}),
      'ou_p' || lpad(((g - 1) % ${w.people})::text, 5, '0'),
      case when g <= ${w.reminders} then ${overdue}::timestamptz else ${later}::timestamptz end,
      case when g <= ${w.reminders} then ${overdue}::timestamptz else ${later}::timestamptz end,
      ${created}::timestamptz, ${created}::timestamptz
    from generate_series(1, ${total}) g`.execute(db);
  await sql`select setval('item_seq_task', ${total})`.execute(db);
  for (const job of jobRegistry)
    await sql`insert into schedules (job, cron, timezone, enabled, updated_by)
      values (${job.name}, ${job.defaultCron}, null, false, 'drill')
      on conflict (job) do update set enabled = false`.execute(db);
  await sql`analyze`.execute(db);
}

/** The signed, encrypted card.action.trigger Lark would post for a 办结 click on item `j`. */
export function clickRequest(
  j: number,
  w: Workload,
  o: { verificationToken: string; encryptKey: string; appId: string },
): { eventId: string; body: () => { body: string; headers: Record<string, string> } } {
  const item = clickedItemId(j, w);
  const operator = personOf(j % w.people);
  const eventId = `ev_drill_${j}_${randomBytes(4).toString('hex')}`;
  const payload = {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: 'card.action.trigger',
      create_time: String(Date.now()),
      token: o.verificationToken,
      app_id: o.appId,
      tenant_key: 'tenant_drill',
    },
    event: {
      operator: { open_id: operator, user_id: `u_${operator}`, union_id: `on_${operator}` },
      token: `c-drill-${j}`,
      action: { value: { v: 1, op: 'done', item }, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: `om_drill_${j}`, open_chat_id: 'oc_drill' },
    },
  };
  const plain = JSON.stringify(payload);
  // Each delivery is signed afresh, as Lark does when it retries.
  return {
    eventId,
    body: () => {
      const body = JSON.stringify({ encrypt: encryptLark(o.encryptKey, plain) });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(8).toString('hex');
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-lark-request-timestamp': timestamp,
          'x-lark-request-nonce': nonce,
          'x-lark-signature': larkSignature(timestamp, nonce, o.encryptKey, Buffer.from(body)),
        },
      };
    },
  };
}

export const atIso = (d: Date) => toZonedIso(d, TIME_ZONE);
