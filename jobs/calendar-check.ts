import { sql } from 'kysely';
import { hasOfficialData } from '../src/domain/calendar.js';
import { missingCalendarText, yearsToAnnounce } from '../src/domain/calendar-notice.js';
import { localParts } from '../src/domain/time.js';
import { enqueueOutbox, outboxKey } from '../src/lark/outbox/enqueue.js';
import type { JobDefinition } from '../src/services/run-job.js';

/**
 * Tells every admin, by direct message, when the official calendar lacks a year (deadlines are
 * never guessed silently). At most once a month per admin and year set: the outbox uuid is keyed by month.
 */
export const calendarCheckJob: JobDefinition = {
  name: 'calendar',
  defaultCron: '20 9 * * *',
  description: '日历数据检查: tell admins when a year has no official holiday data',
  async run(deps, { at }) {
    const { db } = deps.database;
    const { year, month } = localParts(at, deps.config.timezone);
    const counts = await db
      .selectFrom('calendar_overrides')
      .select([
        sql<number>`extract(year from date)::int`.as('year'),
        (eb) => eb.fn.countAll<string>().as('n'),
      ])
      .groupBy(sql`extract(year from date)`)
      .execute();
    const overridesInYear = (y: number) => Number(counts.find((c) => Number(c.year) === y)?.n ?? 0);
    const years = yearsToAnnounce({ year, month, hasOfficialData, overridesInYear });
    if (years.length === 0) return { sent: 0, skipped: 0, missing: [] };
    const admins = await db
      .selectFrom('people')
      .select('open_id')
      .where('active', '=', true)
      .where((eb) => eb(eb.val('admin'), '=', eb.fn.any('roles')))
      .orderBy('open_id')
      .execute();
    let sent = 0;
    let skipped = 0;
    const period = `${year}-${String(month).padStart(2, '0')}`;
    await db.transaction().execute(async (trx) => {
      for (const { open_id } of admins) {
        const { inserted } = await enqueueOutbox(trx, {
          uuid: outboxKey('calendar', years.join(','), period, open_id),
          operation: 'send',
          receiveIdType: 'open_id',
          receiveId: open_id,
          msgType: 'text',
          content: { text: missingCalendarText(years) },
          purpose: 'calendar-missing',
          now: deps.clock.now(),
        });
        if (inserted) sent++;
        else skipped++;
      }
    });
    if (sent > 0)
      deps.logger.warn('admins told that official calendar data is missing', { years, admins: sent });
    return { sent, skipped, missing: years };
  },
};
