import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./data');
    expect(config.timezone).toBe('Asia/Shanghai');
    expect(config.lark.baseUrl).toBe('https://open.feishu.cn');
    expect(config.adminToken).toBeUndefined();
    expect(config.lark.appId).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/cuiban',
      DATA_DIR: 'memory://',
      APP_TIMEZONE: 'Asia/Urumqi',
      LARK_APP_ID: 'cli_a',
      LARK_APP_SECRET: 's',
      LARK_VERIFICATION_TOKEN: 'v',
      LARK_ENCRYPT_KEY: 'e',
      LARK_DOMAIN: 'lark',
      ADMIN_TOKEN: 'a-long-admin-token-123',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u:p@db:5432/cuiban',
      dataDir: 'memory://',
      timezone: 'Asia/Urumqi',
      adminToken: 'a-long-admin-token-123',
      lark: {
        appId: 'cli_a',
        appSecret: 's',
        verificationToken: 'v',
        encryptKey: 'e',
        baseUrl: 'https://open.larksuite.com',
        mode: 'webhook',
      },
    });
  });

  it('takes LARK_MODE webhook (the default) or ws', () => {
    expect(loadConfig({}).lark.mode).toBe('webhook');
    const ws = loadConfig({ LARK_MODE: 'ws', LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: 's' });
    expect(ws.lark.mode).toBe('ws');
    expect(problemsOf({ LARK_MODE: 'socket' })).toEqual([
      'LARK_MODE: expected "webhook" or "ws", got "socket"',
    ]);
    expect(problemsOf({ LARK_MODE: 'ws' })).toEqual([
      'LARK_MODE: "ws" needs LARK_APP_ID and LARK_APP_SECRET (the long connection logs in as the app)',
    ]);
    expect(problemsOf({ LARK_MODE: 'ws', LARK_APP_ID: 'cli_fake', LARK_APP_SECRET: 's' })).toEqual([
      'LARK_APP_ID: LARK_MODE "ws" needs the app id as the console shows it (cli_ and 16 hexadecimal digits)',
    ]);
  });

  it('takes a base URL for LARK_DOMAIN, without its trailing slash', () => {
    expect(loadConfig({ LARK_DOMAIN: 'http://127.0.0.1:9000/' }).lark.baseUrl).toBe('http://127.0.0.1:9000');
  });

  it.each([
    ['PORT', 'abc', 'PORT: expected an integer 1–65535, got "abc"'],
    ['PORT', '0', 'PORT: expected an integer 1–65535, got "0"'],
    ['PORT', '70000', 'PORT: expected an integer 1–65535, got "70000"'],
    [
      'APP_TIMEZONE',
      'Mars/Olympus',
      'APP_TIMEZONE: expected an IANA time zone such as Asia/Shanghai, got "Mars/Olympus"',
    ],
    [
      'LARK_DOMAIN',
      'ftp:/x',
      'LARK_DOMAIN: expected "feishu", "lark" or a base URL such as http://127.0.0.1:9000, got "ftp:/x"',
    ],
    ['DATABASE_URL', 'not a url', 'DATABASE_URL: expected a URL like postgres://user:password@host:5432/db'],
    [
      'DATABASE_URL',
      'mysql://u:p@h/db',
      'DATABASE_URL: expected a postgres:// or postgresql:// URL (the scheme given is "mysql")',
    ],
    ['ADMIN_TOKEN', 'short', 'ADMIN_TOKEN: must be at least 16 characters long'],
    ['OA_WEBHOOK_SECRET', 'short-oa', 'OA_WEBHOOK_SECRET: must be at least 32 characters long'],
  ])('refuses a bad %s (%s) naming the variable', (variable, value, message) => {
    expect(problemsOf({ [variable]: value })).toEqual([message]);
  });

  it('lists every problem, one line each', () => {
    const problems = problemsOf({ PORT: 'x', APP_TIMEZONE: 'Nowhere', LARK_DOMAIN: '???' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'APP_TIMEZONE', 'LARK_DOMAIN']);
  });

  it('requires the app id and secret together', () => {
    expect(problemsOf({ LARK_APP_ID: 'cli_a' })).toEqual([
      'LARK_APP_SECRET: required when LARK_APP_ID is set',
    ]);
    expect(problemsOf({ LARK_APP_SECRET: 'x' })).toEqual([
      'LARK_APP_ID: required when LARK_APP_SECRET is set',
    ]);
  });

  it('never echoes a secret value in an error', () => {
    const secret = 'mysql://admin:hunter2-very-secret@db/x';
    const problems = problemsOf({
      DATABASE_URL: secret,
      ADMIN_TOKEN: 'tiny-secret',
      OA_WEBHOOK_SECRET: 'oa-tiny-secret',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain('oa-tiny-secret');
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems.join('\n')).not.toContain('tiny-secret');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ', ADMIN_TOKEN: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      adminToken: undefined,
    });
  });
});
