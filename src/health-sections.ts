import type { HealthSection } from './health.js';

/** The sections of GET /healthz beyond the database; each capability adds its own here. */
export const healthSections: HealthSection[] = [];
