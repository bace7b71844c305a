import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/domain/calendar.js';
import { addMonths, defaultDueAt, endOfWorkday, nextWorkingMorning } from '../../src/domain/deadlines.js';
import { deadlineRulesSchema, DEFAULT_DEADLINE_RULES as R, rulesFromStored } from '../../src/domain/rules.js';
import { toZonedIso } from '../../src/domain/time.js';

const TZ = 'Asia/Shanghai';
const cal = createWorkCalendar();
const at = (s: string) => new Date(s);
const due = (input: Parameters<typeof defaultDueAt>[0], rules = R) =>
  toZonedIso(defaultDueAt(input, rules, cal, TZ), TZ);
const doc = (docType: 'circular' | 'signoff' | 'urgent' | 'normal', receivedAt: string) =>
  due({ kind: 'document', docType, receivedAt: at(receivedAt) });

describe('default deadlines (限时办结制)', () => {
  it('circulation copy: end of the same working day before the 16:00 cut-off', () => {
    expect(doc('circular', '2026-11-23T15:59:00+08:00')).toBe('2026-11-23T18:00:00+08:00');
  });
  it('circulation copy at or after the cut-off counts from the next working day', () => {
    expect(doc('circular', '2026-11-23T16:00:00+08:00')).toBe('2026-11-24T18:00:00+08:00');
    expect(doc('circular', '2026-11-27T17:00:00+08:00')).toBe('2026-11-30T18:00:00+08:00'); // Fri → Mon
  });
  it('circulation copy received on a holiday is due at the end of the next working day', () => {
    expect(doc('circular', '2026-10-02T10:00:00+08:00')).toBe('2026-10-08T18:00:00+08:00');
  });
  it('the cut-off is configurable', () => {
    const rules = { ...R, circularCutoff: '12:00' };
    expect(
      due({ kind: 'document', docType: 'circular', receivedAt: at('2026-11-23T12:30:00+08:00') }, rules),
    ).toBe('2026-11-24T18:00:00+08:00');
  });
  it('sign-off: end of the 2nd working day, across National Day', () => {
    expect(doc('signoff', '2026-11-23T10:00:00+08:00')).toBe('2026-11-25T18:00:00+08:00');
    expect(doc('signoff', '2026-09-30T10:00:00+08:00')).toBe('2026-10-09T18:00:00+08:00');
  });
  it('urgent: 09:00 the next calendar day, whatever the calendar', () => {
    expect(doc('urgent', '2026-11-27T20:00:00+08:00')).toBe('2026-11-28T09:00:00+08:00'); // a Saturday
    expect(doc('urgent', '2026-09-30T23:30:00+08:00')).toBe('2026-10-01T09:00:00+08:00'); // National Day
  });
  it('ordinary: end of the 3rd working day, across the Spring Festival with its working Saturdays', () => {
    expect(doc('normal', '2026-11-23T10:00:00+08:00')).toBe('2026-11-26T18:00:00+08:00');
    expect(doc('normal', '2026-02-12T10:00:00+08:00')).toBe('2026-02-24T18:00:00+08:00'); // 13, 14(Sat), 24
  });
  it('instructions, decisions, practical, hotline, other: configurable working days', () => {
    const t = (source: any, rules = R) =>
      due({ kind: 'task', source, assignedAt: at('2026-11-23T10:00:00+08:00') }, rules);
    expect(t('instruction')).toBe('2026-11-30T18:00:00+08:00');
    expect(t('decision')).toBe('2026-11-30T18:00:00+08:00');
    expect(t('hotline')).toBe('2026-11-30T18:00:00+08:00');
    expect(t('other')).toBe('2026-11-30T18:00:00+08:00');
    expect(t('practical', { ...R, practicalDue: 'workdays' })).toBe('2026-12-21T18:00:00+08:00');
    expect(t('instruction', { ...R, instructionWorkdays: 2 })).toBe('2026-11-25T18:00:00+08:00');
    expect(t('decision', { ...R, decisionWorkdays: 1 })).toBe('2026-11-24T18:00:00+08:00');
  });
  it("practical things (十件实事): the end of the year's last working day; assigned in December, next year's", () => {
    const t = (assignedAt: string) => due({ kind: 'task', source: 'practical', assignedAt: at(assignedAt) });
    expect(t('2026-01-05T10:00:00+08:00')).toBe('2026-12-31T18:00:00+08:00'); // a Thursday
    expect(t('2026-11-23T10:00:00+08:00')).toBe('2026-12-31T18:00:00+08:00');
    // 2027 has no official data yet: Monday–Friday, and 2027-12-31 is a Friday.
    expect(t('2026-12-02T10:00:00+08:00')).toBe('2027-12-31T18:00:00+08:00');
    // 2022-12-31 was a Saturday: the working day before it.
    expect(t('2022-03-01T10:00:00+08:00')).toBe('2022-12-30T18:00:00+08:00');
  });
  it('proposals: 3 calendar months, pulled back to a working day; co-units 1 month', () => {
    expect(due({ kind: 'task', source: 'proposal', assignedAt: at('2026-03-10T10:00:00+08:00') })).toBe(
      '2026-06-10T18:00:00+08:00',
    );
    // 2026-07-04 + 3 months = 2026-10-04 (National Day) → back to 30 Sep
    expect(due({ kind: 'task', source: 'proposal', assignedAt: at('2026-07-04T10:00:00+08:00') })).toBe(
      '2026-09-30T18:00:00+08:00',
    );
    expect(
      due({
        kind: 'co-unit',
        source: 'proposal',
        assignedAt: at('2026-03-10T10:00:00+08:00'),
        itemDueAt: at('2026-06-10T18:00:00+08:00'),
      }),
    ).toBe('2026-04-10T18:00:00+08:00');
  });
  it('co-unit parts of working-day tasks are due 2 working days before the item, never before tomorrow', () => {
    const assignedAt = at('2026-11-23T10:00:00+08:00');
    expect(
      due({ kind: 'co-unit', source: 'instruction', assignedAt, itemDueAt: at('2026-11-30T18:00:00+08:00') }),
    ).toBe('2026-11-26T18:00:00+08:00');
    expect(
      due({ kind: 'co-unit', source: 'instruction', assignedAt, itemDueAt: at('2026-11-24T18:00:00+08:00') }),
    ).toBe('2026-11-24T18:00:00+08:00');
  });
  it('minutes: end of the next working day after the meeting', () => {
    expect(due({ kind: 'minutes', meetingEndsAt: at('2026-11-27T17:00:00+08:00') })).toBe(
      '2026-11-30T18:00:00+08:00',
    );
    expect(due({ kind: 'minutes', meetingEndsAt: at('2026-09-30T17:00:00+08:00') })).toBe(
      '2026-10-08T18:00:00+08:00',
    );
  });
  it('the end of a working day and the next working morning', () => {
    expect(toZonedIso(endOfWorkday('2026-11-23', R, TZ), TZ)).toBe('2026-11-23T18:00:00+08:00');
    expect(toZonedIso(nextWorkingMorning(at('2026-09-30T20:00:00+08:00'), R, cal, TZ), TZ)).toBe(
      '2026-10-08T09:00:00+08:00',
    );
  });
  it('adds months with clamping', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-01-01', -1)).toBe('2025-12-01');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
  });
});

describe('deadline rules validation', () => {
  it('accepts the defaults and fills missing stored keys from them', () => {
    expect(deadlineRulesSchema.safeParse(R).success).toBe(true);
    expect(rulesFromStored({ signoffWorkdays: 4 }).signoffWorkdays).toBe(4);
    expect(rulesFromStored({ signoffWorkdays: 4 }).normalWorkdays).toBe(3);
  });
  it('rejects nonsense', () => {
    expect(deadlineRulesSchema.safeParse({ ...R, proposalMonths: 7 }).success).toBe(false);
    expect(deadlineRulesSchema.safeParse({ ...R, circularCutoff: '25:00' }).success).toBe(false);
    expect(deadlineRulesSchema.safeParse({ ...R, circularCutoff: '19:00' }).success).toBe(false);
    expect(deadlineRulesSchema.safeParse({ ...R, signoffWorkdays: 1.5 }).success).toBe(false);
    expect(deadlineRulesSchema.safeParse({ ...R, extra: 1 }).success).toBe(false);
  });
});
