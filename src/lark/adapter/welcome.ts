import { findDepartmentByChat, listDepartments } from '../../db/repos/departments.js';
import type { Deps } from '../../deps.js';
import { sendCard } from '../../items/notifications/messages.js';
import { welcomeCard } from '../cards/welcome-card.js';
import { outboxKey } from '../outbox/enqueue.js';

/**
 * When the bot is added to a group, it introduces itself and explains how an admin binds the
 * group to a department. Once per event: a redelivered event sends nothing new.
 */
export async function welcomeGroup(
  deps: Deps,
  event: { eventId: string; chatId: string; chatName: string },
): Promise<void> {
  await deps.database.db.transaction().execute(async (trx) => {
    const [bound, departments] = await Promise.all([
      findDepartmentByChat(trx, event.chatId),
      listDepartments(trx),
    ]);
    const card = welcomeCard({
      chatName: event.chatName || null,
      boundDept: bound ? { code: bound.code, name: bound.name } : null,
      departments: departments.map((d) => ({ code: d.code, name: d.name })),
    });
    await sendCard(trx, deps, {
      key: outboxKey('welcome', event.chatId, event.eventId),
      to: { chatId: event.chatId },
      card,
      purpose: 'welcome',
    });
  });
}
