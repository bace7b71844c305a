import {
  clearTopExcept,
  findDepartmentByChat,
  getDepartment,
  listDepartments,
  upsertDepartment,
} from '../db/repos/departments.js';
import { getPerson, listPeople, upsertPerson } from '../db/repos/people.js';
import { inTransaction } from '../db/transaction.js';
import type { DatabaseContext, Deps } from '../deps.js';
import type { Department, Person, Role } from '../domain/types.js';
import { AppError } from '../platform/errors.js';

const field = (name: string, status: 404 | 409 | 422, code: string, message: string) =>
  new AppError(status, code, `${name}: ${message}`, [{ field: name, message }]);

/** PUT /api/v1/departments/:code — a division and its group chat (one chat per division). */
export async function putDepartment(
  deps: Deps,
  input: { code: string; name: string; chatId?: string | null; isTop?: boolean },
): Promise<{ department: Department; created: boolean }> {
  return inTransaction(deps.database.db, async (trx) => {
    const chatId = input.chatId ?? null;
    if (chatId) {
      const other = await findDepartmentByChat(trx, chatId);
      if (other && other.code !== input.code)
        throw field(
          'chatId',
          409,
          'conflict',
          `chat ${chatId} is already bound to department "${other.code}"`,
        );
    }
    const existing = await getDepartment(trx, input.code);
    const department: Department = {
      code: input.code,
      name: input.name,
      chatId,
      isTop: input.isTop ?? existing?.isTop ?? false,
    };
    if (department.isTop) {
      // One top department: its chiefs see everything; moving the flag is explicit.
      await clearTopExcept(trx, input.code);
    }
    const created = await upsertDepartment(trx, department, deps.clock.now());
    return { department, created };
  });
}

/** PUT /api/v1/people/:openId — a person, their department and roles. */
export async function putPerson(
  deps: Deps,
  input: { openId: string; name: string; dept: string | null; roles: Role[] },
): Promise<Person> {
  return inTransaction(deps.database.db, async (trx) => {
    if (input.dept && !(await getDepartment(trx, input.dept)))
      throw field('dept', 422, 'unknown_department', `no department with code "${input.dept}"`);
    const person: Person = {
      openId: input.openId,
      name: input.name,
      dept: input.dept,
      roles: [...new Set(input.roles)],
    };
    await upsertPerson(trx, person, deps.clock.now());
    return person;
  });
}

/** The people registered, of one department when `dept` is given (GET /api/v1/people). */
export function findPeople(ctx: DatabaseContext, filter: { dept?: string } = {}): Promise<Person[]> {
  return listPeople(ctx.database.db, filter);
}

/** One registered person, or null. */
export function findPerson(ctx: DatabaseContext, openId: string): Promise<Person | null> {
  return getPerson(ctx.database.db, openId);
}

/** Every department (GET /api/v1/departments). */
export function allDepartments(ctx: DatabaseContext): Promise<Department[]> {
  return listDepartments(ctx.database.db);
}

/** One department by its code, or null. */
export function findDepartment(ctx: DatabaseContext, code: string): Promise<Department | null> {
  return getDepartment(ctx.database.db, code);
}
