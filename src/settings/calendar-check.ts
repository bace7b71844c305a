import { overrideCountsByYear } from '../db/repos/calendar.js';
import { listAdmins } from '../db/repos/people.js';
import { inTransaction } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import { hasOfficialData } from '../domain/calendar.js';
import { missingCalendarText, yearsToAnnounce } from '../domain/calendar-notice.js';
import { localParts } from '../domain/time.js';
import { enqueueOutbox, outboxKey } from '../lark/outbox/enqueue.js';

/**
 * Tells every admin, by direct message, when the official calendar lacks a year (deadlines are
 * never guessed silently). At most once a month per admin and year set: the outbox uuid is keyed
 * by month.
 */
export async function tellAdminsOfMissingCalendar(
  deps: Deps,
  at: Date,
): Promise<{ sent: number; skipped: number; missing: number[] }> {
  const { db } = deps.database;
  const { year, month } = localParts(at, deps.config.timezone);
  const counts = await overrideCountsByYear(db);
  const overridesInYear = (y: number) => counts.get(y) ?? 0;
  const years = yearsToAnnounce({ year, month, hasOfficialData, overridesInYear });
  if (years.length === 0) return { sent: 0, skipped: 0, missing: [] };
  const admins = (await listAdmins(db)).map((p) => p.openId);
  const period = `${year}-${String(month).padStart(2, '0')}`;
  let sent = 0;
  await inTransaction(db, async (trx) => {
    for (const openId of admins) {
      const { inserted } = await enqueueOutbox(trx, {
        uuid: outboxKey('calendar', years.join(','), period, openId),
        operation: 'send',
        receiveIdType: 'open_id',
        receiveId: openId,
        msgType: 'text',
        content: { text: missingCalendarText(years) },
        purpose: 'calendar-missing',
        now: deps.clock.now(),
      });
      if (inserted) sent++;
    }
  });
  if (sent > 0)
    deps.logger.warn('admins told that official calendar data is missing', { years, admins: sent });
  return { sent, skipped: admins.length - sent, missing: years };
}
