/**
 * The office's reminder rules (settings key 'reminder_rules'): when rounds run, when to escalate,
 * and when nobody is disturbed. How near a deadline must be to warn is the deadline rules'
 * `yellowWithinWorkdays` — one threshold, so a card's yellow light and the yellow reminder agree.
 */
export interface ReminderRules {
  /** Local times ('HH:mm') of the working-day reminder rounds. */
  rounds: string[];
  /** Escalate to the department's chiefs once an item is this many working days overdue (N). */
  escalateToChiefAfter: number;
  /** Escalate to the office's leaders (chiefs of the top department) from this many (M). */
  escalateToLeadersAfter: number;
  /** Nothing but urgent items is sent between start and end (local 'HH:mm', may wrap midnight). */
  quietHours: { start: string; end: string };
  /** Minutes before a meeting's start when attendees are reminded. */
  meetingSoonMinutes: number;
  /** Local time on the working day before a meeting when attendees are reminded. */
  meetingEveAt: string;
  /** Paused rules send nothing but urgent chases (`暂停 提醒`). */
  paused: boolean;
}

export const DEFAULT_REMINDER_RULES: ReminderRules = {
  rounds: ['09:00', '14:30'],
  escalateToChiefAfter: 1,
  escalateToLeadersAfter: 3,
  quietHours: { start: '22:00', end: '07:30' },
  meetingSoonMinutes: 30,
  meetingEveAt: '16:00',
  paused: false,
};

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Accepts 'H:mm', 'HH:mm' and the full-width colon; returns 'HH:mm' or null. */
export function parseTimeOfDay(text: string): string | null {
  const t = text.trim().replace('：', ':');
  const m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!m) return null;
  const normal = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  return HH_MM.test(normal) ? normal : null;
}

/** Whether a local 'HH:mm' falls in the quiet hours (start inclusive, end exclusive; may wrap). */
export function inQuietHours(time: string, quiet: { start: string; end: string }): boolean {
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end
    ? time >= quiet.start && time < quiet.end
    : time >= quiet.start || time < quiet.end;
}

/** '09:00' → cron '0 9 * * *': one cron expression per round, joined by ';' (see jobs/registry). */
export function roundsToCron(rounds: string[]): string {
  return rounds
    .map((r) => {
      const [h, m] = r.split(':').map(Number) as [number, number];
      return `${m} ${h} * * *`;
    })
    .join(';');
}

/** Merges stored (possibly partial or older) rules over the defaults, ignoring junk values. */
export function normaliseReminderRules(stored: unknown): ReminderRules {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Partial<ReminderRules>;
  const d = DEFAULT_REMINDER_RULES;
  const nonNeg = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
  const time = (v: unknown, fallback: string) => (typeof v === 'string' && HH_MM.test(v) ? v : fallback);
  const rounds =
    Array.isArray(s.rounds) &&
    s.rounds.length > 0 &&
    s.rounds.every((r) => typeof r === 'string' && HH_MM.test(r))
      ? [...new Set(s.rounds)].sort()
      : d.rounds;
  return {
    rounds,
    escalateToChiefAfter: Math.max(1, nonNeg(s.escalateToChiefAfter, d.escalateToChiefAfter)),
    escalateToLeadersAfter: Math.max(1, nonNeg(s.escalateToLeadersAfter, d.escalateToLeadersAfter)),
    quietHours: {
      start: time(s.quietHours?.start, d.quietHours.start),
      end: time(s.quietHours?.end, d.quietHours.end),
    },
    meetingSoonMinutes: Math.max(1, nonNeg(s.meetingSoonMinutes, d.meetingSoonMinutes)),
    meetingEveAt: time(s.meetingEveAt, d.meetingEveAt),
    paused: s.paused === true,
  };
}
