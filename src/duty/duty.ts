import {
  appendDutyLog,
  confirmHandover,
  type DutyDay,
  type DutyLogEntry,
  type DutyLogEvent,
  getDutyDay,
  listDutyDays,
  listDutyLog,
  upsertDutyDay,
} from '../db/repos/duty.js';
import { appendDutyHistory, type DutyHistoryEntry, listDutyHistory } from '../db/repos/duty-history.js';
import { getPeople } from '../db/repos/people.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { addDays, localDate } from '../domain/time.js';
import { AppError, notFound } from '../platform/errors.js';

/** 值班: the roster (officers and leader on duty per day), handovers and the duty log. */

export const QUIET_ENTRY = '平安无事';

export async function requirePeople(db: Db, fields: Record<string, string>): Promise<void> {
  const known = new Set((await getPeople(db, Object.values(fields))).map((p) => p.openId));
  const unknown = Object.entries(fields).filter(([, openId]) => !known.has(openId));
  if (unknown.length > 0) {
    throw new AppError(
      422,
      'unknown_person',
      unknown
        .map(([field, openId]) => `${field}: no person with open_id "${openId}" is registered`)
        .join('; '),
      unknown.map(([field, openId]) => ({ field, openId })),
    );
  }
}

export interface DutyDayPut {
  date: string;
  /** The officer, or several (the first is the officer, the others co-officers). */
  officer: string | string[];
  leader: string;
  note?: string | undefined;
  start?: string | null | undefined;
  end?: string | null | undefined;
}

export async function setDutyDay(deps: Deps, input: DutyDayPut, by = 'api'): Promise<DutyDay> {
  const officers = [...new Set(Array.isArray(input.officer) ? input.officer : [input.officer])];
  const fields: Record<string, string> = { leader: input.leader };
  officers.forEach((o, i) => {
    fields[officers.length > 1 ? `officer[${i}]` : 'officer'] = o;
  });
  await requirePeople(deps.database.db, fields);
  const now = deps.clock.now();
  await deps.database.db.transaction().execute(async (trx) => {
    const day = {
      date: input.date,
      officers,
      leader: input.leader,
      note: input.note ?? null,
      start: input.start ?? null,
      end: input.end ?? null,
    };
    await upsertDutyDay(trx, day, now);
    await appendDutyHistory(trx, {
      date: input.date,
      at: now,
      actor: by,
      action: 'roster set',
      details: day,
    });
  });
  return (await getDutyDay(deps.database.db, input.date))!;
}

export async function dutyRange(
  deps: Deps,
  from?: string,
  to?: string,
): Promise<{ from: string; to: string; days: DutyDay[] }> {
  const start = from ?? localDate(deps.clock.now(), deps.config.timezone);
  const end = to ?? addDays(start, 6);
  return { from: start, to: end, days: await listDutyDays(deps.database.db, start, end) };
}

export async function dutyDayWithLog(
  deps: Deps,
  date: string,
): Promise<DutyDay & { log: DutyLogEntry[]; history: DutyHistoryEntry[] }> {
  const { db } = deps.database;
  const day = await getDutyDay(db, date);
  if (!day) throw notFound(`No duty roster entry for ${date}. Create one with PUT /api/v1/duty/${date}.`);
  return { ...day, log: await listDutyLog(db, date), history: await listDutyHistory(db, date) };
}

/**
 * One duty-log entry: 平安无事 (quiet), free text, or an event (time, caller, what, what was done).
 * Anyone registered may write (the officer, or the office for them); the history says who.
 */
export async function writeDutyLog(
  deps: Deps,
  input: { date: string; by: string; entry?: string; event?: DutyLogEvent; via: string },
): Promise<DutyLogEntry> {
  const { db } = deps.database;
  await requirePeople(db, { by: input.by });
  if (!(await getDutyDay(db, input.date))) {
    throw notFound(`No duty roster entry for ${input.date}: set the roster before writing its log.`);
  }
  const e = input.event;
  const entry =
    input.entry ??
    (e
      ? [e.time, e.caller, e.what, e.done ? `处理：${e.done}` : ''].filter(Boolean).join('；')
      : QUIET_ENTRY);
  const quiet = !e && entry.replace(/[。.!！\s]/g, '') === QUIET_ENTRY;
  const at = deps.clock.now();
  await db.transaction().execute(async (trx) => {
    await appendDutyLog(trx, { date: input.date, at, by: input.by, entry, quiet, event: e ?? null });
    await appendDutyHistory(trx, {
      date: input.date,
      at,
      actor: input.by,
      action: quiet ? 'log quiet' : 'log entry',
      details: { entry, via: input.via, ...(e ? { event: e } : {}) },
    });
  });
  const log = await listDutyLog(db, input.date);
  return log.at(-1)!;
}

export async function addDutyLogEntry(
  deps: Deps,
  input: { date: string; by: string; entry: string },
): Promise<void> {
  await writeDutyLog(deps, { ...input, via: 'api' });
}

/**
 * 交接班: the officer (or the leader) on duty confirms the handover; the first confirmation is the
 * record, and goes into the history with how it was given.
 */
export async function handOver(
  deps: Deps,
  input: { date: string; by: string; via?: string },
): Promise<DutyDay & { changed: boolean }> {
  const { db } = deps.database;
  const day = await getDutyDay(db, input.date);
  if (!day) throw notFound(`No duty roster entry for ${input.date}.`);
  if (!day.officers.includes(input.by) && input.by !== day.leader) {
    throw new AppError(
      403,
      'forbidden',
      `Only the officer or the leader on duty on ${input.date} can confirm the handover.`,
    );
  }
  const at = deps.clock.now();
  const changed = await db.transaction().execute(async (trx) => {
    const first = await confirmHandover(trx, input.date, input.by, at);
    if (first)
      await appendDutyHistory(trx, {
        date: input.date,
        at,
        actor: input.by,
        action: 'handover confirmed',
        details: { via: input.via ?? 'api' },
      });
    return first;
  });
  return { ...(await getDutyDay(db, input.date))!, changed };
}

export type { DutyDay };
