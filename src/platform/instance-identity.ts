import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * A Node process's instance id, `host:boot:pid:random`: unique per process, and readable enough
 * for a restarted process to tell which earlier instances ran on this same machine since its boot
 * and whether their processes still exist (liveness.ts `retirePredecessors`).
 */

/** This machine's boot id (Linux), or null where there is none. */
export function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists on this machine. */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function nodeInstanceId(): string {
  const boot = bootId() ?? 'noboot';
  return `${hostname()}:${boot}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Earlier instances of this machine: gone when their pid no longer runs, or is this process's own
 * (a container restarted under the same pid). Without a boot id (not Linux) nothing is judged.
 */
export function machinePredecessors(): { prefix: string; gone: (id: string) => boolean } | null {
  const boot = bootId();
  if (!boot) return null;
  const prefix = `${hostname()}:${boot}:`;
  return {
    prefix,
    gone: (id) => {
      const pid = Number(id.slice(prefix.length).split(':')[0]);
      if (!Number.isInteger(pid) || pid <= 0) return false;
      return pid === process.pid || !processRuns(pid);
    },
  };
}
