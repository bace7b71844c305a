import { runBackupJob } from '../src/platform/backups.js';
import type { JobDefinition } from '../src/platform/scheduler/run-job.js';

/** Nightly: a backup of the embedded database into BACKUP_DIR, keeping the newest BACKUP_KEEP. */
export const backupJob: JobDefinition = {
  name: 'backup',
  defaultCron: '30 2 * * *',
  description: '备份: a backup of the embedded database into BACKUP_DIR (PostgreSQL: pg_dump, not this job)',
  run: (deps) => runBackupJob(deps, deps.clock.now()),
};
