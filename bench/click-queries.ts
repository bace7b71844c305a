/**
 * `npx tsx bench/click-queries.ts` — the statements one 办结 click sends to Postgres, in order
 * (every `pg` query counted, transaction control included), once the process holds the reference
 * data (a first click on another item fills it; its count is printed too), and how many socket
 * writes carry them. With BENCH_CPU_CLICKS=n it then makes n more clicks one after another and
 * prints the process's CPU per click (user + system; the click path in process, without HTTP):
 * CPU time moves far less with the machine's load than wall time. Needs BENCH_DATABASE_URL or
 * TEST_DATABASE_URL; creates a database for the run and drops it after.
 */

import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { sql } from 'kysely';
import { jobRegistry } from '../jobs/registry.js';
import { createApp } from '../src/app.js';
import { encryptLark, larkSignature } from '../src/lark/crypto.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/logger.js';
import { countStatements, withBenchDatabase } from './statement-count.js';

await withBenchDatabase('click_queries', async (database, url) => {
  const db = database.db;
  const cpuClicks = Number(process.env.BENCH_CPU_CLICKS ?? 0);
  for (let n = 1; n <= 2 + cpuClicks; n++) {
    await sql`insert into items (id, kind, doc_type, title, status, source, dept, assignee, due_at, original_due_at, created_at, updated_at)
      values (${`D-${n}`}, 'document', 'normal', '关于年度工作总结的通知', 'open', 'other', 'd00', 'ou_p1',
        now() + interval '9 days', now() + interval '9 days', now(), now())`.execute(db);
    await sql`insert into outbox (uuid, operation, receive_id_type, receive_id, msg_type, content, purpose, item_ids, status, created_at, next_attempt_at, sent_at, sent_message_id)
      values (${`g${n}`}, 'send', 'chat_id', 'oc_d0', 'interactive', '{}', 'item-card', array[${`D-${n}`}], 'sent', now(), now(), now(), ${`om_g${n}`}),
             (${`p${n}`}, 'send', 'open_id', 'ou_p1', 'interactive', '{}', 'item-card', array[${`D-${n}`}], 'sent', now(), now(), now(), ${`om_p${n}`})`.execute(
      db,
    );
  }
  const config = loadConfig({
    DATABASE_URL: url,
    LARK_VERIFICATION_TOKEN: 'vt',
    LARK_ENCRYPT_KEY: 'ek',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
  });
  const app = createApp({
    config,
    database,
    clock: systemClock,
    logger: silentLogger,
    instanceId: 'bench',
    jobs: jobRegistry,
    larkEnabled: false,
    lark: null,
  });
  const texts = countStatements();
  const clickDone = async (n: number) => {
    texts.length = 0;
    const now = new Date();
    const payload = {
      schema: '2.0',
      header: {
        event_id: `ev_${randomBytes(6).toString('hex')}`,
        event_type: 'card.action.trigger',
        create_time: String(now.getTime()),
        token: 'vt',
        app_id: 'cli_bench',
        tenant_key: 'tenant',
      },
      event: {
        operator: { open_id: 'ou_p1' },
        token: 'c-token',
        action: { value: { v: 1, op: 'done', item: `D-${n}` }, tag: 'button' },
        host: 'im_message',
        context: { open_message_id: `om_g${n}`, open_chat_id: 'oc_d0' },
      },
    };
    const body = JSON.stringify({ encrypt: encryptLark('ek', JSON.stringify(payload)) });
    const ts = String(Math.floor(now.getTime() / 1000));
    const nonce = randomBytes(8).toString('hex');
    const res = await app.request('/lark/cards', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-lark-request-timestamp': ts,
        'x-lark-request-nonce': nonce,
        'x-lark-signature': larkSignature(ts, nonce, 'ek', Buffer.from(body)),
      },
    });
    const answer = (await res.json()) as { toast?: unknown };
    return { status: res.status, toast: answer.toast, statements: [...texts] };
  };
  const port = Number(new URL(url).port || 5432);
  let writes = 0;
  const proto = Socket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
  const write = proto._writeGeneric;
  proto._writeGeneric = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort === port) writes++;
    return write.apply(this, args);
  };
  const cold = await clickDone(2);
  writes = 0;
  const warm = await clickDone(1);
  console.log(`first click of the process (reference data loaded): ${cold.statements.length} statements`);
  console.log(
    `HTTP ${warm.status} ${JSON.stringify(warm.toast)}: ${warm.statements.length} statements in ${writes} socket writes`,
  );
  for (const t of warm.statements) console.log(`  ${t.replace(/\s+/g, ' ').slice(0, 140)}`);
  if (cpuClicks > 0) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let n = 3; n <= 2 + cpuClicks; n++) {
      const r = await clickDone(n);
      if (r.status !== 200) throw new Error(`click ${n}: HTTP ${r.status}`);
    }
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `${cpuClicks} clicks one after another: ${((cpu.user + cpu.system) / 1000 / cpuClicks).toFixed(2)} ms CPU per click (user ${(cpu.user / 1000 / cpuClicks).toFixed(2)}, system ${(cpu.system / 1000 / cpuClicks).toFixed(2)}), ${((performance.now() - t0) / cpuClicks).toFixed(1)} ms wall`,
    );
  }
});
