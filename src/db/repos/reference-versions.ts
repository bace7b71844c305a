import type { Db } from '../schema.js';

/** The version of each reference table (people, departments, settings, calendar_overrides). */
export async function readReferenceVersions(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('reference_versions').select(['name', 'version']).execute();
  return new Map(rows.map((r) => [r.name, String(r.version)]));
}
