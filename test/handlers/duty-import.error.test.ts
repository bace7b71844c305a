import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { dutyApiWorld } from '../helpers/duty-api.js';
import { api } from '../helpers/http.js';

describe.each(engines)('duty rosters in bulk refused on %s', (engine) => {
  const w = dutyApiWorld(engine);

  it('a CSV with bad rows is refused whole, every problem listed by row number', async () => {
    const csv = [
      'date,officer,leader',
      '2026-10-01,张三,刘主任',
      '2026-10-32,李四,刘主任',
      '2026-10-03,钱七,刘主任',
      '2026-10-04,赵六,',
      '2026-10-01,王五,陈主任,25:00,08:30',
      '2026-10-06,王五',
    ].join('\r\n');
    const res = await api(w.app, 'POST', '/api/v1/duty/import', { csv });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_csv');
    expect(res.body.error.details.problems).toEqual([
      { row: 3, field: 'date', message: '「2026-10-32」不是日期（YYYY-MM-DD）' },
      { row: 4, field: 'officer', message: '「钱七」未登记' },
      { row: 5, field: 'officer', message: '「赵六」重名，请改用 open_id' },
      { row: 5, field: 'leader', message: '缺少带班领导' },
      { row: 6, field: 'date', message: '2026-10-01 与第2行重复' },
      { row: 6, field: 'start', message: '「25:00」不是时间（HH:mm）' },
      { row: 7, field: 'row', message: '应为 date,officer,leader[,start,end] 共3或5列，实为2列' },
    ]);
    // The operator's message is English, naming the rows; the office's sentence is details.reply.
    expect(res.body.error.message).toBe(
      'csv: 7 problem(s) in row(s) 3, 4, 5, 6, 7; nothing was imported (details.problems lists them).',
    );
    expect(res.body.error.details.reply).toContain('7处问题，未导入任何记录：第3行 date');
    // Nothing was imported, not even the good row.
    expect(await w.database.db.selectFrom('duty_roster').selectAll().execute()).toEqual([]);
    expect(await w.database.db.selectFrom('duty_history').selectAll().execute()).toEqual([]);
  });

  it('refuses shifts in years the API cannot read back (0999, 9999): the same 2000–2100 window', async () => {
    const csv = ['date,officer,leader', '0999-01-01,张三,刘主任', '9999-12-31,张三,刘主任'].join('\n');
    const res = await api(w.app, 'POST', '/api/v1/duty/import', { csv });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    const said = JSON.stringify(res.body);
    expect(said).toContain('0999-01-01 不在2000–2100年之内');
    expect(said).toContain('9999-12-31 不在2000–2100年之内');
    expect(await w.database.db.selectFrom('duty_roster').selectAll().execute()).toEqual([]);
  });

  it('an empty file, and a rotation naming unknown people or a bad range, are refused', async () => {
    const empty = await api(w.app, 'POST', '/api/v1/duty/import', { csv: 'date,officer,leader\n' });
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toBe(
      'csv: 1 problem(s) in the file; nothing was imported (details.problems lists them).',
    );
    expect(empty.body.error.details.reply).toContain('文件中没有值班记录');
    const unknown = await api(w.app, 'POST', '/api/v1/duty/rotation', {
      from: '2026-10-01',
      to: '2026-10-07',
      people: ['张三', '钱七'],
      leaders: ['刘主任'],
      days: 'all',
      apply: true,
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('people[1]: 「钱七」未登记');
    const range = await api(w.app, 'POST', '/api/v1/duty/rotation', {
      from: '2026-10-07',
      to: '2026-10-01',
      people: ['张三'],
      leaders: ['刘主任'],
      days: 'all',
    });
    expect(range.status).toBe(400);
    const noLeader = await api(w.app, 'POST', '/api/v1/duty/rotation', {
      from: '2026-10-01',
      to: '2026-10-07',
      people: ['张三'],
      leaders: [],
      days: 'all',
    });
    expect(noLeader.status).toBe(422);
    expect(noLeader.body.error.message).toContain('leaders');
    const settings = await api(w.app, 'PUT', '/api/v1/duty/settings', { start: '8:30' });
    expect(settings.status).toBe(422);
    expect(settings.body.error.message).toContain('start');
    expect(await w.database.db.selectFrom('duty_roster').selectAll().execute()).toEqual([]);
  });
});
