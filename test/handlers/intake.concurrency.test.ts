import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { seedOffice } from '../integration/items-seed.js';

// Parallel transactions need a real server: PGlite runs one connection.
describe.runIf(engines.includes('postgres'))('intake under concurrency on postgres', () => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  const post = async (body: unknown, key?: string) => {
    const res = await app.request('/api/v1/items', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const countWhere = async (docNo: string) =>
    Number(
      (
        await sql<{ n: string }>`select count(*)::text as n from items where doc_no = ${docNo}`.execute(
          database.db,
        )
      ).rows[0]!.n,
    );
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    const deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
  });
  afterAll(async () => {
    await database.close();
  });

  const doc = (docNo: string) => ({
    kind: 'document',
    docType: 'normal',
    title: '并发登记',
    docNo,
    direction: 'in',
    assignee: 'ou_lisi',
  });

  it('simultaneous replays of one Idempotency-Key make one item, and all answer its id', async () => {
    for (let round = 1; round <= 3; round++) {
      const docNo = `并发〔2026〕${round}号`;
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(doc(docNo), `replay-${round}`)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(7);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await countWhere(docNo)).toBe(1);
    }
  });

  it('the same document sent at once under different keys: one item, the others 409 naming it', async () => {
    const docNo = '并发〔2026〕99号';
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(doc(docNo), `doc-${i}`)));
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(7);
    for (const r of refused)
      expect(r.body.error).toMatchObject({
        code: 'duplicate_document',
        details: [expect.objectContaining({ field: 'docNo', id: created[0]!.body.id })],
      });
    expect(await countWhere(docNo)).toBe(1);
  });
});
