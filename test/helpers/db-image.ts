import { sql } from 'kysely';
import type { Db } from '../../src/db/schema.js';

export interface TableImage {
  columns: string[];
  rows: number;
  hash: string;
}

/**
 * Each public table's row count and an md5 over its rows (as text, sorted), over the columns
 * given in `only` (e.g. a table's columns before a migration added some) or its current ones.
 * Two images are equal exactly when every table holds the same rows with the same values.
 */
export async function databaseImage(
  db: Db,
  only?: Record<string, TableImage>,
): Promise<Record<string, TableImage>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' order by table_name, ordinal_position`.execute(db);
  const columns: Record<string, string[]> = {};
  for (const r of rows) columns[r.table_name] = [...(columns[r.table_name] ?? []), r.column_name];
  const out: Record<string, TableImage> = {};
  for (const table of Object.keys(only ?? columns)) {
    const cols = only?.[table]?.columns ?? columns[table]!;
    const text = `row(${cols.map((c) => `"${c}"`).join(', ')})::text`;
    const { rows: stats } = await sql<{ n: string; hash: string | null }>`
      select count(*)::text as n, md5(string_agg(${sql.raw(text)}, E'\\n' order by ${sql.raw(text)})) as hash
      from ${sql.table(table)}`.execute(db);
    out[table] = { columns: cols, rows: Number(stats[0]!.n), hash: stats[0]!.hash ?? '' };
  }
  return out;
}
