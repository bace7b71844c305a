import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { freePort } from './postgres.js';

/** One instance of the service in a process of its own (`node --import tsx src/node.ts`). */
export interface Instance {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited (killed or stopped). */
  exited: Promise<void>;
  /** The JSON log lines it printed so far. */
  lines(): string[];
}

export interface ServiceEnv {
  databaseUrl: string;
  lark: { appId: string; appSecret: string; url: string };
  verificationToken: string;
  encryptKey: string;
  adminToken: string;
  /** Where each instance's output goes (a file per instance), if anywhere. */
  logDir?: string;
}

const children = new Set<ChildProcess>();
// Whatever happens to the drill, no instance of it outlives it.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export async function startInstance(name: string, env: ServiceEnv): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATABASE_URL: env.databaseUrl,
      LARK_APP_ID: env.lark.appId,
      LARK_APP_SECRET: env.lark.appSecret,
      LARK_DOMAIN: env.lark.url,
      LARK_VERIFICATION_TOKEN: env.verificationToken,
      LARK_ENCRYPT_KEY: env.encryptKey,
      ADMIN_TOKEN: env.adminToken,
      PLAYGROUND: 'off',
      DEMO: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const file: WriteStream | undefined = env.logDir
    ? createWriteStream(`${env.logDir}/${name}.log`)
    : undefined;
  const lines: string[] = [];
  let partial = '';
  const take = (chunk: Buffer) => {
    file?.write(chunk);
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) if (l.includes('taken over') || l.includes('cuiban started')) lines.push(l);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      file?.end();
      resolve();
    }),
  );
  const instance: Instance = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    exited,
    lines: () => lines,
  };
  await waitReady(instance);
  return instance;
}

async function waitReady(instance: Instance, waitMs = 90_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  let exited = false;
  void instance.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${instance.url}/healthz`);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`instance ${instance.name} did not start (see its log)`);
}

/** kill -9: no shutdown, no goodbye; what it held stays claimed in its name. */
export async function killHard(instance: Instance): Promise<void> {
  instance.child.kill('SIGKILL');
  await instance.exited;
}

/** SIGTERM and wait (a clean stop), killing it if it takes longer than 15 s. */
export async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill('SIGTERM');
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), 15_000);
  await instance.exited;
  clearTimeout(timer);
}

/** How many outbox rows the instance's dispatcher took over from silent instances (from its log). */
export function rowsTakenOver(instance: Instance): number {
  let n = 0;
  for (const line of instance.lines()) {
    try {
      const parsed = JSON.parse(line) as { takenOver?: number };
      n += parsed.takenOver ?? 0;
    } catch {
      // not a JSON line
    }
  }
  return n;
}
