import { describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../../src/domain/items.js';
import { authorize } from '../../src/domain/permissions.js';
import type {
  ActionName,
  Department,
  Item,
  ItemPart,
  MeetingAttendee,
  Person,
} from '../../src/domain/types.js';

const departments: Department[] = [
  { code: 'top', name: '办公厅', chatId: null, isTop: true },
  { code: 'a', name: '秘书一处', chatId: null, isTop: false },
  { code: 'b', name: '秘书二处', chatId: null, isTop: false },
  { code: 'c', name: '督查处', chatId: null, isTop: false },
];
const person = (openId: string, dept: string | null, roles: Person['roles'] = ['staff']): Person => ({
  openId,
  name: openId,
  dept,
  roles,
});
const people = {
  assignee: person('ou_lisi', 'a'),
  member: person('ou_member', 'a'),
  coUnit: person('ou_co', 'b'),
  outsider: person('ou_out', 'c'),
  chiefA: person('ou_chief_a', 'a', ['staff', 'chief']),
  chiefC: person('ou_chief_c', 'c', ['chief']),
  topChief: person('ou_top', 'top', ['chief']),
  noDeptChief: person('ou_nodept', null, ['chief']),
  admin: person('ou_admin', 'c', ['admin']),
  attendee: person('ou_att', 'c'),
  unregistered: null,
};
type Who = keyof typeof people;

const base: Item = {
  id: 'T-1',
  kind: 'task',
  title: '落实会议议定事项',
  status: 'open',
  docType: null,
  docNo: null,
  direction: null,
  receivedAt: null,
  source: 'instruction',
  leadDept: 'a',
  dept: 'a',
  assignee: 'ou_lisi',
  dueAt: new Date('2026-11-30T10:00:00Z'),
  originalDueAt: null,
  startsAt: null,
  endsAt: null,
  location: null,
  organizer: null,
  minutesTaker: null,
  chatId: null,
  parentId: null,
  progressNote: null,
  progressAt: null,
  closedAt: null,
  closedBy: null,
  createdBy: 'ou_admin',
  createdAt: new Date('2026-11-23T01:00:00Z'),
  version: 1,
};
const parts: ItemPart[] = [
  { dept: 'b', assignee: null, status: 'open', dueAt: null, note: null, doneAt: null, doneBy: null },
];
const attendees: MeetingAttendee[] = [{ openId: 'ou_att', attendance: 'pending', respondedAt: null }];
const assigned = { ...base, parts };
const unassigned = { ...base, assignee: null, parts };
const meeting = { ...base, id: 'M-1', kind: 'meeting' as const, assignee: null, attendees, parts: [] };

// Y = allowed on the item, P = allowed on the co-unit's part, . = refused
const CHIEF = 'YY.Y.YYYY..'; // no claiming what is already claimed: reassign instead;
const assignedMatrix: Record<Who, string> = {
  //             done read claim progress extend approve reject reassign cancel attend leave
  assignee: /**/ 'YYYYY......',
  member: /*  */ '...........',
  coUnit: /*  */ 'P..P.......',
  outsider: /**/ '...........',
  chiefA: /*  */ CHIEF,
  chiefC: /*  */ '...........',
  topChief: /**/ CHIEF,
  noDeptChief: CHIEF,
  admin: /*   */ 'YYYYYYYYY..',
  attendee: /**/ '...........',
  unregistered: '...........',
};
const unassignedMatrix: Record<Who, string> = {
  assignee: /**/ '..Y........', // a member of the lead department like any other
  member: /*  */ '..Y........',
  coUnit: /*  */ 'P..P.......',
  outsider: /**/ '...........',
  chiefA: /*  */ 'YYYY.YYYY..',
  chiefC: /*  */ '...........',
  topChief: /**/ 'YYYY.YYYY..',
  noDeptChief: 'YYYY.YYYY..',
  admin: /*   */ 'YYYYYYYYY..',
  attendee: /**/ '...........',
  unregistered: '...........',
};

function expectMatrix(item: Parameters<typeof authorize>[2], matrix: Record<Who, string>) {
  for (const [who, row] of Object.entries(matrix) as [Who, string][]) {
    ACTION_NAMES.forEach((action, i) => {
      const d = authorize(people[who], action, item, { departments });
      const got = d.allowed ? (d.partDept ? 'P' : 'Y') : '.';
      expect(`${who} ${action} ${got}`).toBe(`${who} ${action} ${row[i]}`);
      if (!d.allowed) expect(d.reason).toMatch(/[\u4e00-\u9fa5]/);
    });
  }
}

describe('the permission matrix (every role × every action)', () => {
  it('on an assigned task with a co-handling unit', () => expectMatrix(assigned, assignedMatrix));
  it('on an unassigned task', () => expectMatrix(unassigned, unassignedMatrix));
  it('on a meeting: only attendees answer attendance', () => {
    for (const [who, p] of Object.entries(people)) {
      for (const action of ['attend', 'leave'] as ActionName[]) {
        expect(authorize(p, action, meeting, { departments }).allowed).toBe(who === 'attendee');
      }
    }
  });
});

describe('reasons a person understands', () => {
  const names = { ou_lisi: '李四' };
  it('names the assignee when someone else tries to close', () => {
    expect(authorize(people.member, 'done', assigned, { departments, names })).toEqual({
      allowed: false,
      reason: '该事项由李四承办，您无权办结',
    });
  });
  it('tells an unregistered person to see the admin', () => {
    expect(authorize(null, 'done', assigned, {})).toEqual({
      allowed: false,
      reason: '您尚未登记，请联系办公室管理员',
    });
  });
  it('says who claimed it first', () => {
    const d = authorize(people.member, 'claim', assigned, { departments, names });
    expect(d).toEqual({ allowed: false, reason: '该事项已由李四认领' });
  });
  it('names the department whose chief may approve', () => {
    const d = authorize(people.outsider, 'approve-extension', assigned, { departments });
    expect(d).toEqual({ allowed: false, reason: '只有秘书一处负责同志可以批准延期' });
  });
  it('asks to claim first when nobody handles the item yet', () => {
    const d = authorize(people.member, 'done', unassigned, { departments });
    expect(d).toEqual({ allowed: false, reason: '该事项尚未认领，请先认领后再办结' });
  });
  it('refuses outsiders claiming another department’s task', () => {
    const d = authorize(people.outsider, 'claim', unassigned, { departments });
    expect(d).toEqual({ allowed: false, reason: '该事项由秘书一处承办，只有本处室同志可以认领' });
  });
});

describe('co-unit parts', () => {
  it('an explicit part: co-unit members and their chief act on it, others not', () => {
    const ctx = { departments, partDept: 'b' };
    expect(authorize(people.coUnit, 'done', assigned, ctx)).toEqual({ allowed: true, partDept: 'b' });
    expect(authorize(people.outsider, 'progress', assigned, ctx).allowed).toBe(false);
    expect(authorize(person('ou_chief_b', 'b', ['chief']), 'reassign', assigned, ctx)).toEqual({
      allowed: true,
      partDept: 'b',
    });
    expect(authorize(people.coUnit, 'extend', assigned, ctx).allowed).toBe(false);
  });
  it('an unknown part is refused', () => {
    const d = authorize(people.admin, 'done', assigned, { departments, partDept: 'c' });
    expect(d).toEqual({ allowed: false, reason: '督查处不是该事项的会办单位' });
  });
});
