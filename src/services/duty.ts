import {
  appendDutyLog,
  confirmHandover,
  type DutyDay,
  type DutyLogEntry,
  getDutyDay,
  listDutyDays,
  listDutyLog,
  upsertDutyDay,
} from '../db/repos/duty.js';
import { getPeople } from '../db/repos/people.js';
import type { Deps } from '../deps.js';
import { addDays, localDate } from '../domain/time.js';
import { AppError, notFound } from '../errors.js';

/** 值班: the roster (duty officer and leader on duty per day), handovers and the duty log. */

async function requirePeople(deps: Deps, fields: Record<string, string>): Promise<void> {
  const known = new Set((await getPeople(deps.database.db, Object.values(fields))).map((p) => p.openId));
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

export async function setDutyDay(
  deps: Deps,
  input: { date: string; officer: string; leader: string; note?: string | undefined },
): Promise<DutyDay> {
  await requirePeople(deps, { officer: input.officer, leader: input.leader });
  await upsertDutyDay(
    deps.database.db,
    { date: input.date, officer: input.officer, leader: input.leader, note: input.note ?? null },
    deps.clock.now(),
  );
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

/** Who is on duty today, in the office's time zone (null when the roster has no entry). */
export async function dutyToday(deps: Deps): Promise<DutyDay | null> {
  return getDutyDay(deps.database.db, localDate(deps.clock.now(), deps.config.timezone));
}

export async function dutyDayWithLog(deps: Deps, date: string): Promise<DutyDay & { log: DutyLogEntry[] }> {
  const day = await getDutyDay(deps.database.db, date);
  if (!day) throw notFound(`No duty roster entry for ${date}. Create one with PUT /api/v1/duty/${date}.`);
  return { ...day, log: await listDutyLog(deps.database.db, date) };
}

export async function addDutyLogEntry(
  deps: Deps,
  input: { date: string; by: string; entry: string },
): Promise<void> {
  await requirePeople(deps, { by: input.by });
  if (!(await getDutyDay(deps.database.db, input.date))) {
    throw notFound(`No duty roster entry for ${input.date}: set the roster before writing its log.`);
  }
  await appendDutyLog(deps.database.db, { ...input, at: deps.clock.now() });
}

/** 交接班: the incoming officer confirms the handover; the first confirmation is the record. */
export async function handOver(deps: Deps, input: { date: string; by: string }): Promise<DutyDay> {
  const day = await getDutyDay(deps.database.db, input.date);
  if (!day) throw notFound(`No duty roster entry for ${input.date}.`);
  if (input.by !== day.officer && input.by !== day.leader) {
    throw new AppError(
      403,
      'forbidden',
      `Only the officer or the leader on duty on ${input.date} can confirm the handover.`,
    );
  }
  await confirmHandover(deps.database.db, input.date, input.by, deps.clock.now());
  return (await getDutyDay(deps.database.db, input.date))!;
}
