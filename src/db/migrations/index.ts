import type { Migration } from 'kysely';
import * as foundation from './2026112101_foundation.js';
import * as reminders from './2026112102_reminders.js';
import * as lark from './2026112103_lark.js';
import * as digest from './2026113010_digest.js';
import * as roundCardReminders from './2026113010_round_card_reminders.js';
import * as duty from './2026113011_duty.js';
import * as intake from './2026113014_intake.js';
import * as intakeHotline from './2026113014_intake_hotline.js';
import * as larkSendLog from './2026113040_lark_send_log.js';
import * as rhythm from './2026113041_rhythm.js';
import * as rhythmSince from './2026113042_rhythm_since.js';
import * as instances from './2026113043_instances.js';
import * as referenceVersions from './2026113050_reference_versions.js';
import * as sendLogOwner from './2026113051_send_log_owner.js';
import * as categories from './2026120810_categories.js';

/**
 * Every migration, by name. Names start with a timestamp so they sort in the order they were
 * written; a landed migration is never edited, only followed by a new one.
 */
export const migrations: Record<string, Migration> = {
  '2026112101_foundation': foundation,
  '2026112102_reminders': reminders,
  '2026112103_lark': lark,
  '2026113010_digest': digest,
  '2026113010_round_card_reminders': roundCardReminders,
  '2026113011_duty': duty,
  '2026113014_intake': intake,
  '2026113014_intake_hotline': intakeHotline,
  '2026113040_lark_send_log': larkSendLog,
  '2026113041_rhythm': rhythm,
  '2026113042_rhythm_since': rhythmSince,
  '2026113043_instances': instances,
  '2026113050_reference_versions': referenceVersions,
  '2026113051_send_log_owner': sendLogOwner,
  '2026120810_categories': categories,
};
