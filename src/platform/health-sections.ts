import { inboundHealthSection } from '../lark/inbound/health.js';
import { outboxHealthSection } from '../lark/outbox/health.js';
import { larkSetupHealthSection } from '../lark/setup-health.js';
import { larkConnectionHealthSection } from '../lark/ws/health.js';
import { calendarHealthSection } from '../settings/calendar.js';
import type { HealthSection } from './health.js';
import { schedulerHealthSection } from './scheduler/health.js';

/** The sections of GET /healthz beyond the database; each capability adds its own here. */
export const healthSections: HealthSection[] = [
  outboxHealthSection,
  inboundHealthSection,
  larkConnectionHealthSection,
  larkSetupHealthSection,
  calendarHealthSection,
  schedulerHealthSection,
];
