import { listDepartments } from '../db/repos/departments.js';
import { listPeople } from '../db/repos/people.js';
import type { Deps } from '../deps.js';
import type { Department, Person, Role } from '../domain/types.js';
import { createItem } from '../items/items.js';
import { fixedClock } from '../platform/clock.js';
import { putDepartment, putPerson } from './organisation.js';

/** The demo office's group chats and people (open_ids are the playground's own). */
export const DEMO_CHATS = { office: 'oc_demo_bgs', mishu: 'oc_demo_mishu1' };

const DEPARTMENTS = [
  { code: 'bgs', name: '办公室', chatId: DEMO_CHATS.office, isTop: true },
  { code: 'mishu1', name: '秘书一处', chatId: DEMO_CHATS.mishu },
  { code: 'ducha', name: '督查处', chatId: null },
];

const PEOPLE: Array<{ openId: string; name: string; dept: string; roles: Role[] }> = [
  { openId: 'ou_demo_wang', name: '王主任', dept: 'bgs', roles: ['chief', 'admin'] },
  { openId: 'ou_demo_li', name: '李处长', dept: 'mishu1', roles: ['chief'] },
  { openId: 'ou_demo_zhang', name: '张三', dept: 'mishu1', roles: ['staff'] },
  { openId: 'ou_demo_zhao', name: '赵六', dept: 'ducha', roles: ['staff'] },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Seeds a small office on the first start of an empty embedded database: three departments, four
 * people with roles, two documents, a meeting and three tasks (overdue, due soon, due in a month),
 * so every light shows. Does nothing when any department exists. Creating the items sends their
 * cards through the outbox, as any new item does.
 */
export async function seedDemoOffice(deps: Deps): Promise<boolean> {
  const { db } = deps.database;
  if ((await listDepartments(db)).length > 0) return false;
  for (const d of DEPARTMENTS) await putDepartment(deps, d);
  for (const p of PEOPLE) await putPerson(deps, p);
  const now = deps.clock.now().getTime();
  const due = (days: number) => new Date(now + days * DAY_MS);
  const admin = 'ou_demo_wang';
  await createItem(
    deps,
    {
      kind: 'document',
      docType: 'normal',
      title: '关于报送年度工作总结的通知',
      docNo: '办字〔2026〕12号',
      direction: 'in',
      assignee: 'ou_demo_zhang',
      dept: 'mishu1',
      receivedAt: due(-10),
      dueAt: due(-2),
      chatId: DEMO_CHATS.mishu,
    },
    admin,
  );
  await createItem(
    deps,
    {
      kind: 'document',
      docType: 'signoff',
      title: '关于冬季安全生产检查的请示',
      docNo: '秘一〔2026〕7号',
      direction: 'out',
      assignee: 'ou_demo_zhang',
      dept: 'mishu1',
      dueAt: due(1),
      chatId: DEMO_CHATS.mishu,
    },
    admin,
  );
  await createItem(
    deps,
    {
      kind: 'meeting',
      title: '周例会',
      startsAt: due(1),
      endsAt: new Date(now + DAY_MS + 60 * 60 * 1000),
      location: '三楼会议室',
      attendees: ['ou_demo_li', 'ou_demo_zhang', 'ou_demo_zhao'],
      organizer: 'ou_demo_wang',
      dept: 'bgs',
      chatId: DEMO_CHATS.office,
    },
    admin,
  );
  const tasks: Array<[string, number, string]> = [
    ['落实领导批示：整改信访积案', -1, 'ou_demo_zhang'],
    ['会议议定：完善值班制度', 1, 'ou_demo_zhang'],
    ['十件实事：老旧小区加装电梯', 30, 'ou_demo_zhao'],
  ];
  for (const [title, days, assignee] of tasks)
    await createItem(
      // An overdue task was given ten days ago: it is recorded as created then.
      days < 0 ? { ...deps, clock: fixedClock(new Date(now - 10 * DAY_MS)) } : deps,
      {
        kind: 'task',
        source: 'instruction',
        title,
        leadDept: assignee === 'ou_demo_zhao' ? 'ducha' : 'mishu1',
        assignee,
        dueAt: due(days),
        leader: 'ou_demo_wang',
      },
      admin,
    );
  deps.logger.info('demo office seeded', { departments: DEPARTMENTS.length, people: PEOPLE.length });
  return true;
}

/** Who and where the playground shows: departments with a group chat, and everyone. */
export async function playgroundDirectory(
  deps: Deps,
): Promise<{ departments: Department[]; people: Person[] }> {
  const { db } = deps.database;
  return { departments: await listDepartments(db), people: await listPeople(db) };
}
