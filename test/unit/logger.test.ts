import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { createPinoLogger } from '../../src/platform/pino-logger.js';

describe('structured logger', () => {
  it('writes one JSON object per line with time, level and message', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), now: () => new Date('2026-11-23T01:00:00Z') });
    logger.info('hello', { requestId: 'r1' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-11-23T01:00:00.000Z',
      level: 'info',
      msg: 'hello',
      requestId: 'r1',
    });
  });

  it('masks fields named like secrets, at any depth', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l) });
    logger.warn('config', {
      lark: { appSecret: 's3cr3t', encryptKey: 'k3y' },
      authorization: 'Bearer x',
      adminToken: 't',
    });
    expect(lines[0]).not.toMatch(/s3cr3t|k3y|Bearer x/);
    expect(JSON.parse(lines[0]!).lark.appSecret).toBe('[redacted]');
  });

  it('drops lines below the level and carries child fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), level: 'warn' }).child({
      component: 'outbox',
    });
    logger.info('quiet');
    logger.error('loud', { error: new Error('boom') });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      component: 'outbox',
      error: { name: 'Error', message: 'boom' },
    });
  });

  it('through pino (the service on Node): the same fields, secrets masked, levels and child fields kept', () => {
    const chunks: string[] = [];
    const logger = createPinoLogger({
      stream: { write: (chunk: string) => chunks.push(chunk) },
      level: 'info',
      now: () => new Date('2026-11-23T01:00:00Z'),
    });
    logger.debug('quiet');
    logger.info('request', { requestId: 'r1', status: 200 });
    logger
      .child({ component: 'lark', appSecret: 's3cr3t' })
      .error('failed', { error: new Error('boom'), auth: { authorization: 'Bearer x' } });
    const lines = chunks.join('').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-11-23T01:00:00.000Z',
      level: 'info',
      msg: 'request',
      requestId: 'r1',
      status: 200,
    });
    expect(lines[1]).not.toMatch(/s3cr3t|Bearer x/);
    expect(JSON.parse(lines[1]!)).toEqual({
      time: '2026-11-23T01:00:00.000Z',
      level: 'error',
      msg: 'failed',
      component: 'lark',
      appSecret: '[redacted]',
      error: { name: 'Error', message: 'boom' },
      auth: { authorization: '[redacted]' },
    });
  });
});
