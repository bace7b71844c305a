import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectPglite, connectPostgres } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/**
 * Prepares migrated template databases once per run, so each test file gets a fresh database in
 * a fraction of a second: an on-disk PGlite data directory to copy, and (when TEST_DATABASE_URL
 * is set) a Postgres template database to CREATE DATABASE … TEMPLATE from.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'cuiban-pglite-template-'));
  const pglite = await connectPglite(join(dir, 'data'));
  await migrateToLatest(pglite.db);
  await pglite.close();
  project.provide('pgliteTemplateDir', join(dir, 'data'));

  const url = process.env.TEST_DATABASE_URL;
  // Every database this run creates starts with its own prefix, so runs sharing one server
  // (developers in parallel, CI) never drop each other's databases.
  const runPrefix = `cuiban_t${process.pid}x${Date.now().toString(36)}`;
  project.provide('postgresRunPrefix', runPrefix);
  let templateName = '';
  if (url) {
    templateName = `${runPrefix}_template`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${templateName}`);
    await admin.query(`create database ${templateName}`);
    await admin.end();
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${templateName}`;
    const handle = await connectPostgres(templateUrl.toString(), { max: 1 });
    await migrateToLatest(handle.db);
    await handle.close();
  }
  project.provide('postgresTemplate', templateName);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (url && templateName) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>(
        'select datname from pg_database where starts_with(datname, $1) and datname <> $2',
        [`${runPrefix}_`, templateName],
      );
      for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
      await admin.query(`drop database if exists ${templateName} with (force)`);
      await admin.end();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
    postgresTemplate: string;
    postgresRunPrefix: string;
  }
}
