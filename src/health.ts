import type { Deps } from './deps.js';

/**
 * A section of GET /healthz. `ok: false` in a section marks a problem an operator should act on
 * (shown under `warnings`); only the database decides the HTTP status.
 */
export interface HealthSection {
  name: string;
  check(deps: Deps): Promise<{ ok: boolean; [key: string]: unknown }>;
}
