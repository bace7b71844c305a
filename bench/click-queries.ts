/**
 * `npx tsx bench/click-queries.ts` — the statements one 办结 click sends to Postgres, in order
 * (every `pg` query counted, transaction control included), once the process holds the reference
 * data (a first click on another item fills it; its count is printed too). Needs
 * BENCH_DATABASE_URL or TEST_DATABASE_URL; creates a database for the run and drops it after.
 */
import { randomBytes } from 'node:crypto';
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
  for (const n of [1, 2]) {
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
  const cold = await clickDone(2);
  const warm = await clickDone(1);
  console.log(`first click of the process (reference data loaded): ${cold.statements.length} statements`);
  console.log(`HTTP ${warm.status} ${JSON.stringify(warm.toast)}: ${warm.statements.length} statements`);
  for (const t of warm.statements) console.log(`  ${t.replace(/\s+/g, ' ').slice(0, 140)}`);
});
