import { describe, expect, it } from 'vitest';
import {
  bundleByPerson,
  onceKey,
  type PlanInput,
  type PlanItem,
  planReminders,
} from '../../src/domain/reminder-plan.js';
import { DEFAULT_REMINDER_RULES } from '../../src/domain/reminder-rules.js';

const TZ = 'Asia/Shanghai';
// 2026: 10-01 … 10-07 National Day holiday, 10-10 (Saturday) an adjusted working day.
const HOLIDAYS = new Set([
  '2026-10-01',
  '2026-10-02',
  '2026-10-03',
  '2026-10-04',
  '2026-10-05',
  '2026-10-06',
  '2026-10-07',
]);
const WORKING_WEEKENDS = new Set(['2026-10-10']);
function isWorkday(date: string): boolean {
  if (HOLIDAYS.has(date)) return false;
  if (WORKING_WEEKENDS.has(date)) return true;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

const at = (local: string) => new Date(`${local}+08:00`);

function item(over: Partial<PlanItem> & { id: string }): PlanItem {
  return {
    kind: 'task',
    docType: null,
    assignee: 'ou_zhang',
    dept: 'zonghe',
    dueAt: at('2026-09-30T18:00:00'),
    createdAt: at('2026-09-28T09:00:00'),
    light: 'green',
    workdaysOverdue: 0,
    startsAt: null,
    attendees: [],
    parts: [],
    ...over,
  };
}

function input(over: Partial<PlanInput>): PlanInput {
  return {
    now: at('2026-09-30T09:00:00'),
    timeZone: TZ,
    rules: DEFAULT_REMINDER_RULES,
    isWorkday,
    round: true,
    items: [],
    chiefsByDept: new Map([
      ['zonghe', ['ou_wang']],
      ['office', ['ou_li']],
    ]),
    leaders: ['ou_li'],
    alreadySent: new Set(),
    ...over,
  };
}

const brief = (ns: { itemId: string; recipient: string; kind: string; level: number; period: string }[]) =>
  ns.map((n) => `${n.itemId} ${n.recipient} ${n.kind}/${n.level} ${n.period}`).sort();

describe('planReminders: the handler', () => {
  it('warns once when the deadline is near, and on the morning round also says it is due today', () => {
    const items = [item({ id: 'T-1', light: 'yellow' })];
    expect(brief(planReminders(input({ items })))).toEqual([
      'T-1 ou_zhang due-today/0 2026-09-30',
      'T-1 ou_zhang yellow/0 due:2026-09-30T18:00',
    ]);
    // The afternoon round: yellow only (due-today belongs to the morning round).
    expect(brief(planReminders(input({ items, now: at('2026-09-30T14:30:00') })))).toEqual([
      'T-1 ou_zhang yellow/0 due:2026-09-30T18:00',
    ]);
  });

  it('does not repeat what was already sent', () => {
    const items = [item({ id: 'T-1', light: 'yellow' })];
    const first = planReminders(input({ items }));
    const sent = new Set(first.map(onceKey));
    expect(planReminders(input({ items, alreadySent: sent, now: at('2026-09-30T14:30:00') }))).toEqual([]);
  });

  it('an extended deadline re-arms the yellow warning', () => {
    const before = item({ id: 'T-1', light: 'yellow' });
    const sent = new Set(planReminders(input({ items: [before] })).map(onceKey));
    const extended = item({ id: 'T-1', light: 'yellow', dueAt: at('2026-10-08T18:00:00') });
    expect(
      brief(planReminders(input({ items: [extended], alreadySent: sent, now: at('2026-10-08T09:00:00') }))),
    ).toContain('T-1 ou_zhang yellow/0 due:2026-10-08T18:00');
  });

  it('chases an overdue item once per working day (催办)', () => {
    const items = [item({ id: 'T-2', light: 'red', workdaysOverdue: 0, dueAt: at('2026-09-30T09:00:00') })];
    const morning = planReminders(input({ items, now: at('2026-09-30T14:30:00') }));
    expect(brief(morning)).toEqual(['T-2 ou_zhang overdue/0 2026-09-30']);
    const sent = new Set(morning.map(onceKey));
    expect(planReminders(input({ items, alreadySent: sent, now: at('2026-09-30T14:31:00') }))).toEqual([]);
    expect(brief(planReminders(input({ items, alreadySent: sent, now: at('2026-10-08T09:00:00') })))).toEqual(
      ['T-2 ou_zhang overdue/0 2026-10-08'],
    );
  });

  it('sends nothing regular on a holiday, a normal weekend, in quiet hours, between rounds or when paused', () => {
    const items = [item({ id: 'T-2', light: 'red', workdaysOverdue: 5 })];
    expect(planReminders(input({ items, now: at('2026-10-02T09:00:00') }))).toEqual([]); // National Day
    expect(planReminders(input({ items, now: at('2026-10-11T09:00:00') }))).toEqual([]); // Sunday
    expect(planReminders(input({ items, now: at('2026-09-30T22:30:00') }))).toEqual([]);
    expect(planReminders(input({ items, now: at('2026-09-30T07:00:00') }))).toEqual([]);
    expect(planReminders(input({ items, round: false }))).toEqual([]);
    expect(planReminders(input({ items, rules: { ...DEFAULT_REMINDER_RULES, paused: true } }))).toEqual([]);
  });

  it('works on an adjusted working Saturday', () => {
    const items = [item({ id: 'T-2', light: 'red', workdaysOverdue: 0 })];
    expect(brief(planReminders(input({ items, now: at('2026-10-10T09:00:00') })))).toEqual([
      'T-2 ou_zhang overdue/0 2026-10-10',
    ]);
  });

  it('an unassigned item is brought to the department chiefs', () => {
    const items = [item({ id: 'T-3', assignee: null, light: 'yellow' })];
    expect(brief(planReminders(input({ items, now: at('2026-09-30T14:30:00') })))).toEqual([
      'T-3 ou_wang yellow/0 due:2026-09-30T18:00',
    ]);
  });
});

describe('planReminders: escalation (督办)', () => {
  it('≥ N working days overdue → the department chief; ≥ M → the office leaders; each once', () => {
    const at1 = [item({ id: 'T-4', light: 'red', workdaysOverdue: 1 })];
    expect(brief(planReminders(input({ items: at1 })))).toEqual([
      'T-4 ou_wang escalation/1 due:2026-09-30T18:00',
      'T-4 ou_zhang overdue/0 2026-09-30',
    ]);
    const sent = new Set(planReminders(input({ items: at1 })).map(onceKey));
    const at3 = [item({ id: 'T-4', light: 'red', workdaysOverdue: 3 })];
    expect(
      brief(planReminders(input({ items: at3, alreadySent: sent, now: at('2026-10-08T09:00:00') }))),
    ).toEqual(['T-4 ou_li escalation/2 due:2026-09-30T18:00', 'T-4 ou_zhang overdue/0 2026-10-08']);
  });

  it('follows N and M from the rules, and never escalates to the handler themself', () => {
    const rules = { ...DEFAULT_REMINDER_RULES, escalateToChiefAfter: 2, escalateToLeadersAfter: 2 };
    const items = [item({ id: 'T-5', assignee: 'ou_wang', light: 'red', workdaysOverdue: 2 })];
    expect(brief(planReminders(input({ items, rules })))).toEqual([
      'T-5 ou_li escalation/2 due:2026-09-30T18:00',
      'T-5 ou_wang overdue/0 2026-09-30',
    ]);
    expect(
      brief(planReminders(input({ items: [item({ id: 'T-6', light: 'red', workdaysOverdue: 1 })], rules }))),
    ).toEqual(['T-6 ou_zhang overdue/0 2026-09-30']);
  });
});

describe('planReminders: urgent documents', () => {
  const urgent = item({
    id: 'D-1',
    kind: 'document',
    docType: 'urgent',
    light: 'yellow',
    createdAt: at('2026-10-01T20:10:00'),
    dueAt: at('2026-10-08T09:00:00'),
  });
  it('are chased every hour, on holidays and at night, from the hour after they arrived', () => {
    expect(planReminders(input({ items: [urgent], round: false, now: at('2026-10-01T21:00:00') }))).toEqual(
      [],
    );
    expect(
      brief(planReminders(input({ items: [urgent], round: false, now: at('2026-10-01T23:15:00') }))),
    ).toEqual(['D-1 ou_zhang urgent/0 2026-10-01T23']);
    const sent = new Set(
      planReminders(input({ items: [urgent], round: false, now: at('2026-10-02T03:00:00') })).map(onceKey),
    );
    expect(sent).toEqual(new Set(['D-1|ou_zhang|urgent|0|2026-10-02T03']));
    expect(
      planReminders(
        input({ items: [urgent], round: false, alreadySent: sent, now: at('2026-10-02T03:55:00') }),
      ),
    ).toEqual([]);
  });
});

describe('planReminders: co-handling parts', () => {
  it('remind their own unit before the item deadline, and daily once late', () => {
    const items = [
      item({
        id: 'T-7',
        parts: [
          { dept: 'caiwu', assignee: 'ou_zhao', dueAt: at('2026-09-29T18:00:00'), light: 'yellow' },
          { dept: 'renshi', assignee: null, dueAt: null, light: 'red' },
        ],
      }),
    ];
    const chiefsByDept = new Map([
      ['zonghe', ['ou_wang']],
      ['renshi', ['ou_sun']],
    ]);
    expect(brief(planReminders(input({ items, chiefsByDept })))).toEqual([
      'T-7 ou_sun part-overdue/0 2026-09-30',
      'T-7 ou_zhao part/0 due:2026-09-29T18:00',
    ]);
  });
});

describe('planReminders: meetings', () => {
  const meeting = item({
    id: 'M-1',
    kind: 'meeting',
    dueAt: null,
    startsAt: at('2026-10-08T10:00:00'),
    attendees: ['ou_a', 'ou_b'],
  });
  it('attendees hear on the working day before at 16:00 (across a holiday) and 30 minutes before', () => {
    expect(planReminders(input({ items: [meeting], round: false, now: at('2026-09-30T15:55:00') }))).toEqual(
      [],
    );
    expect(
      brief(planReminders(input({ items: [meeting], round: false, now: at('2026-09-30T16:00:00') }))),
    ).toEqual([
      'M-1 ou_a meeting-eve/0 start:2026-10-08T10:00',
      'M-1 ou_b meeting-eve/0 start:2026-10-08T10:00',
    ]);
    expect(planReminders(input({ items: [meeting], round: false, now: at('2026-10-07T16:00:00') }))).toEqual(
      [],
    );
    expect(planReminders(input({ items: [meeting], round: false, now: at('2026-10-08T09:25:00') }))).toEqual(
      [],
    );
    expect(
      brief(planReminders(input({ items: [meeting], round: false, now: at('2026-10-08T09:30:00') }))),
    ).toEqual([
      'M-1 ou_a meeting-soon/0 start:2026-10-08T10:00',
      'M-1 ou_b meeting-soon/0 start:2026-10-08T10:00',
    ]);
    expect(planReminders(input({ items: [meeting], round: false, now: at('2026-10-08T10:00:00') }))).toEqual(
      [],
    );
  });
});

describe('bundleByPerson', () => {
  it('makes one bundle per person, one line per item, red first', () => {
    const items = [
      item({ id: 'T-1', light: 'yellow' }),
      item({ id: 'T-2', light: 'red', workdaysOverdue: 1, dueAt: at('2026-09-29T18:00:00') }),
      item({ id: 'T-3', light: 'red', workdaysOverdue: 0, assignee: 'ou_wang' }),
    ];
    const bundles = bundleByPerson(planReminders(input({ items })), ['T-2', 'T-1', 'T-3']);
    expect(
      bundles.map((b) => [
        b.recipient,
        b.lines.map((l) => `${l.itemId}:${l.kind}:${l.notifications.length}`),
      ]),
    ).toEqual([
      ['ou_wang', ['T-3:overdue:1', 'T-2:escalation:1']],
      ['ou_zhang', ['T-2:overdue:1', 'T-1:due-today:2']],
    ]);
  });
});
