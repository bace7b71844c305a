import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** These tests start the real entry point (`npm start` runs `tsx src/node.ts`) as a child process. */

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitForHealth(port: number, started: Started, waitMs = 45_000): Promise<Response> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    try {
      return await fetch(`http://127.0.0.1:${port}/healthz`);
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`the service did not answer; output:\n${started.output()}`);
}

const running: Started[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of running.splice(0)) s.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the Node entry point', () => {
  it('starts on the embedded database, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'cuiban-start-'));
    dirs.push(dataDir);
    const started = start({ PORT: String(port), DATA_DIR: dataDir });
    running.push(started);
    const res = await waitForHealth(port, started);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { ok: true, engine: 'pglite' } });

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    const lines = started
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['cuiban started', 'shutting down', 'stopped']),
    );
  }, 60_000);

  it('without a Lark app the playground runs on a demo office of its own: the office’s people never show there', async () => {
    const port = await freePort();
    const token = 'process-test-token-0123456789';
    const started = start({ PORT: String(port), DATA_DIR: 'memory://', ADMIN_TOKEN: token });
    running.push(started);
    expect((await waitForHealth(port, started)).status).toBe(200);
    const api = (path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await api('/departments/zhb', { name: '综合处', isTop: true })).ok).toBe(true);
    expect((await api('/people/ou_real_liu', { name: '刘真名', dept: 'zhb', roles: ['chief'] })).status).toBe(
      200,
    );

    // The demo starts once the service listens; until then /playground says it is starting.
    let state = await fetch(`http://127.0.0.1:${port}/playground/api/state`);
    for (let i = 0; i < 300 && state.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 300));
      state = await fetch(`http://127.0.0.1:${port}/playground/api/state`);
    }
    expect(state.status).toBe(200);
    const text = await state.text();
    expect(text).toContain('ou_demo_wang');
    expect(text).not.toContain('ou_real_liu');
    expect(text).not.toContain('刘真名');
    // The office's own database holds its people only: the demo office was not seeded into it.
    const people = await fetch(`http://127.0.0.1:${port}/api/v1/people`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const listed = ((await people.json()) as { people: Array<{ openId: string }> }).people;
    expect(listed.map((p) => p.openId)).toEqual(['ou_real_liu']);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  }, 150_000);

  it.runIf(process.env.TEST_DATABASE_URL)(
    'starts on real Postgres when DATABASE_URL is set',
    async () => {
      const port = await freePort();
      const started = start({ PORT: String(port), DATABASE_URL: process.env.TEST_DATABASE_URL! });
      running.push(started);
      const res = await waitForHealth(port, started);
      expect(await res.json()).toMatchObject({ status: 'ok', database: { ok: true, engine: 'postgres' } });
      started.child.kill('SIGINT');
      expect(await started.exited).toBe(0);
    },
    60_000,
  );

  it('SIGTERM to `npm start` stops the service itself, not only npm (process managers signal the process they started)', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'cuiban-npm-'));
    dirs.push(dataDir);
    const child = spawn('npm', ['start', '--silent'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        PORT: String(port),
        DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const started: Started = { child, output: () => out, exited };
    running.push(started);
    expect((await waitForHealth(port, started, 100_000)).status).toBe(200);

    child.kill('SIGTERM');
    await exited;
    // Nothing answers on the port any more once the service has finished its clean stop.
    const deadline = Date.now() + 15_000;
    let answering = true;
    while (answering && Date.now() < deadline) {
      answering = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => true,
        () => false,
      );
      if (answering) await new Promise((r) => setTimeout(r, 200));
    }
    expect(answering, out).toBe(false);
    expect(out).toContain('"stopped"');
  }, 150_000);

  it('exits non-zero naming DATA_DIR when the folder cannot be created (it once spun forever)', async () => {
    const started = start({ PORT: String(await freePort()), DATA_DIR: '/proc/nope/cuiban' });
    running.push(started);
    expect(await started.exited).not.toBe(0);
    expect(started.output()).toContain('DATA_DIR: cannot use "/proc/nope/cuiban"');
  }, 30_000);

  it('exits non-zero naming PORT when PORT is invalid', async () => {
    const started = start({ PORT: 'abc', DATA_DIR: 'memory://' });
    running.push(started);
    expect(await started.exited).not.toBe(0);
    expect(started.output()).toContain('PORT: expected an integer 1–65535, got "abc"');
  }, 30_000);

  it('exits non-zero naming DATABASE_URL when the database cannot be reached, without printing its password', async () => {
    const [dbPort, port] = [await freePort(), await freePort()];
    const started = start({
      DATABASE_URL: `postgres://cuiban:pa55word-xyz@127.0.0.1:${dbPort}/nowhere`,
      PORT: String(port),
    });
    running.push(started);
    expect(await started.exited).not.toBe(0);
    expect(started.output()).toContain('DATABASE_URL: cannot connect to the database');
    expect(started.output()).not.toContain('pa55word-xyz');
  }, 30_000);
});
