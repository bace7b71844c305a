import { connectDatabase } from './db/connect.js';
import { listDepartments } from './db/repos/departments.js';
import { lastInboundReceived } from './db/repos/inbound-events.js';
import { checkLarkSetup, describeSetup, type SetupFacts } from './lark/setup-check.js';
import { loadConfig } from './platform/config.js';

/**
 * `npm run lark:check`: the Lark set-up check by hand, with the service's environment. It reads
 * the departments from DATABASE_URL; the embedded database (PGlite) is left alone, since the
 * running service holds it (its /healthz larkSetup shows the same check with the departments).
 * Exit code 0 when nothing is missing, 1 otherwise, 2 for a bad configuration.
 */
async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const facts: SetupFacts = { departments: null, lastReceived: null };
  if (config.databaseUrl) {
    const database = await connectDatabase(config, () => {});
    try {
      facts.departments = await listDepartments(database.db);
      facts.lastReceived = await lastInboundReceived(database.db);
    } catch (err) {
      process.stdout.write(
        `· The database could not be read (${(err as Error).message}): start the service once to create it.\n`,
      );
    } finally {
      await database.close();
    }
  }
  const report = await checkLarkSetup(config.lark, facts, new Date());
  process.stdout.write(`${describeSetup(report).join('\n')}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`lark:check failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
