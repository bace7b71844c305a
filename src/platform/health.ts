import { pingDatabase } from '../db/connect.js';
import type { Deps } from '../deps.js';

/**
 * A section of GET /healthz. `ok: false` in a section marks a problem an operator should act on
 * (shown under `warnings`); only the database decides the HTTP status.
 */
export interface HealthSection {
  name: string;
  check(deps: Deps): Promise<{ ok: boolean; [key: string]: unknown }>;
}

export interface DatabaseHealth {
  ok: boolean;
  engine: string;
  ms?: number;
  error?: string;
}

/** GET /healthz `database`: whether it answers, and how fast. */
export async function checkDatabase(deps: Deps): Promise<DatabaseHealth> {
  const started = performance.now();
  try {
    await pingDatabase(deps.database.db);
    return { ok: true, engine: deps.database.engine, ms: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, engine: deps.database.engine, error: 'the database does not answer' };
  }
}
