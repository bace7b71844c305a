import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkCalendar, type WorkCalendar } from '../../src/domain/calendar.js';
import { lightOf, workdaysOverdue } from '../../src/domain/lights.js';
import {
  type Bundle,
  bundleByPerson,
  type Notification,
  type PlanItem,
  planReminders,
  sortByDeadline,
} from '../../src/domain/reminder-plan.js';
import { DEFAULT_REMINDER_RULES } from '../../src/domain/reminder-rules.js';
import { roundLights } from '../../src/domain/round-lights.js';
import { localDate } from '../../src/domain/time.js';

/**
 * A round's planning takes its lights from a working-day index built once per round and sorts
 * with a shared collator; these properties check that it plans exactly what the straightforward
 * way plans (lightOf / workdaysOverdue per item, String#localeCompare), on random calendars
 * around the National Day, New Year and Spring Festival holidays, random deadlines and days.
 */

const FROM = Date.parse('2026-09-01T00:00:00+08:00');
const UNTIL = Date.parse('2027-03-01T00:00:00+08:00');
const DAY = 86_400_000;

/** Admin overrides on top of the official calendar: some days off made working days and back. */
const overridesArb = fc
  .array(fc.tuple(fc.integer({ min: FROM - 120 * DAY, max: UNTIL + 120 * DAY }), fc.boolean()), {
    maxLength: 25,
  })
  .map((pairs) => new Map(pairs.map(([t, work]) => [localDate(new Date(t), 'Asia/Shanghai'), work])));

const zoneArb = fc.constantFrom('Asia/Shanghai', 'America/New_York');
const nowArb = fc.integer({ min: FROM, max: UNTIL }).map((t) => new Date(t));
/** Deadlines up to four months either side of the round, some on the hour, some none. */
const dueArb = (now: Date) =>
  fc.oneof(
    fc.constant(null),
    fc.integer({ min: -120 * DAY, max: 120 * DAY }).map((d) => new Date(now.getTime() + d)),
    fc
      .integer({ min: -120, max: 120 })
      .map((h) => new Date(Math.floor(now.getTime() / 3_600_000 + h) * 3_600_000)),
  );

function straightLight(dueAt: Date | null, now: Date, calendar: WorkCalendar, yellow: number, tz: string) {
  return {
    light: lightOf({ status: 'open', dueAt }, now, calendar, { yellowWithinWorkdays: yellow }, tz),
    overdue: dueAt ? workdaysOverdue(dueAt, now, calendar, tz) : 0,
  };
}

/** The planner's order as it was first written. */
function straightSort(items: PlanItem[]): PlanItem[] {
  return [...items].sort(
    (a, b) =>
      (a.dueAt?.getTime() ?? a.startsAt?.getTime() ?? 0) -
        (b.dueAt?.getTime() ?? b.startsAt?.getTime() ?? 0) || a.id.localeCompare(b.id),
  );
}

const KIND_ORDER: Record<string, number> = {
  urgent: 0,
  overdue: 1,
  escalation: 2,
  'part-overdue': 3,
  'due-today': 4,
  yellow: 5,
  part: 6,
  'meeting-soon': 7,
  'meeting-eve': 8,
};

/** Bundling as it was first written (String#localeCompare). */
function straightBundles(notifications: Notification[], order: string[]): Bundle[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  const people = new Map<string, Map<string, Bundle['lines'][number]>>();
  for (const n of notifications) {
    const lines = people.get(n.recipient) ?? new Map();
    people.set(n.recipient, lines);
    const line = lines.get(n.itemId);
    if (!line) lines.set(n.itemId, { itemId: n.itemId, kind: n.kind, notifications: [n] });
    else {
      line.notifications.push(n);
      if (KIND_ORDER[n.kind]! < KIND_ORDER[line.kind]!) line.kind = n.kind;
    }
  }
  return [...people]
    .map(([recipient, lines]) => ({
      recipient,
      lines: [...lines.values()].sort(
        (a, b) =>
          KIND_ORDER[a.kind]! - KIND_ORDER[b.kind]! ||
          (rank.get(a.itemId) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.itemId) ?? Number.MAX_SAFE_INTEGER) ||
          a.itemId.localeCompare(b.itemId),
      ),
    }))
    .sort((a, b) => a.recipient.localeCompare(b.recipient));
}

const PEOPLE = ['ou_a', 'ou_B', 'ou_b', 'ou_b_1', 'ou_ab', 'ou_a-b', 'ou_10', 'ou_9', '张三', 'ou_Zhang'];
const itemArb = (now: Date) =>
  fc.record({
    id: fc.oneof(
      fc.integer({ min: 1, max: 300 }).map((n) => `T-${n}`),
      fc.integer({ min: 1, max: 300 }).map((n) => `D-${n}`),
      fc.constantFrom('t-1', 'T-01', 'M-7', 'T_2', 'W-1', 'T-1-2', 'T--1', 'T-', '-1', 'T-1a'),
      fc.stringMatching(/^[0-9A-Z-]{1,6}$/),
    ),
    kind: fc.constantFrom('task', 'document', 'meeting') as fc.Arbitrary<PlanItem['kind']>,
    docType: fc.constantFrom(null, 'normal', 'urgent', 'circular') as fc.Arbitrary<PlanItem['docType']>,
    assignee: fc.option(fc.constantFrom(...PEOPLE), { nil: null }),
    dept: fc.option(fc.constantFrom('d1', 'd2', 'office'), { nil: null }),
    dueAt: dueArb(now),
    createdAt: fc.integer({ min: -30 * DAY, max: 0 }).map((d) => new Date(now.getTime() + d)),
    startsAt: fc.option(
      fc.integer({ min: -DAY, max: 12 * DAY }).map((d) => new Date(now.getTime() + d)),
      { nil: null },
    ),
    attendees: fc.subarray(PEOPLE, { maxLength: 3 }),
    partDues: fc.array(fc.tuple(fc.option(fc.constantFrom(...PEOPLE), { nil: null }), dueArb(now)), {
      maxLength: 2,
    }),
  });

describe('planning a round with the working-day index', () => {
  it('orders ids of capital letters, digits and hyphens by code unit exactly as localeCompare does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z-]{0,8}$/), fc.stringMatching(/^[0-9A-Z-]{0,8}$/), (a, b) => {
        expect(Math.sign(a < b ? -1 : a > b ? 1 : 0)).toBe(Math.sign(a.localeCompare(b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives every deadline the light and working days overdue that lightOf and workdaysOverdue give', () => {
    fc.assert(
      fc.property(
        overridesArb,
        zoneArb,
        nowArb.chain((now) =>
          fc.tuple(fc.constant(now), fc.array(dueArb(now), { minLength: 1, maxLength: 30 })),
        ),
        fc.integer({ min: 0, max: 5 }),
        (overrides, tz, [now, dues], yellow) => {
          const calendar = createWorkCalendar(overrides);
          const fast = roundLights(now, calendar, yellow, tz);
          for (const dueAt of dues)
            expect(fast(dueAt)).toEqual(straightLight(dueAt, now, calendar, yellow, tz));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('plans the same reminders, cards and order as the straightforward way', () => {
    fc.assert(
      fc.property(
        overridesArb,
        nowArb.chain((now) => fc.tuple(fc.constant(now), fc.array(itemArb(now), { maxLength: 40 }))),
        fc.integer({ min: 0, max: 3 }),
        (overrides, [now, raw], yellow) => {
          const tz = 'Asia/Shanghai';
          const calendar = createWorkCalendar(overrides);
          const unique = [...new Map(raw.map((r) => [r.id, r])).values()];
          const build = (
            lightAt: (d: Date | null) => { light: PlanItem['light']; overdue: number },
          ): PlanItem[] =>
            unique.map(({ partDues, ...r }) => ({
              ...r,
              light: lightAt(r.dueAt).light,
              workdaysOverdue: lightAt(r.dueAt).overdue,
              parts: partDues.map(([assignee, due], i) => ({
                dept: `d${i + 1}`,
                assignee,
                dueAt: due ?? r.dueAt,
                light: lightAt(due ?? r.dueAt).light,
              })),
            }));
          const fastItems = sortByDeadline(build(roundLights(now, calendar, yellow, tz)));
          const straightItems = straightSort(build((d) => straightLight(d, now, calendar, yellow, tz)));
          expect(fastItems).toEqual(straightItems);
          const plan = (items: PlanItem[]) =>
            planReminders({
              now,
              timeZone: tz,
              rules: DEFAULT_REMINDER_RULES,
              isWorkday: calendar.isWorkday,
              round: true,
              items,
              chiefsByDept: new Map([
                ['d1', ['ou_B', 'ou_9']],
                ['office', ['张三']],
              ]),
              leaders: ['张三'],
              alreadySent: new Set(),
            });
          const fastBundles = bundleByPerson(
            plan(fastItems),
            fastItems.map((i) => i.id),
          );
          const straightNotes = plan(straightItems);
          expect(fastBundles).toEqual(
            straightBundles(
              straightNotes,
              straightItems.map((i) => i.id),
            ),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
