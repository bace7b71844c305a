import { z } from 'zod';

/**
 * The service's configuration, parsed once at start-up from the environment.
 * Names and defaults are fixed by the outside contract (shared/docs/contract.md).
 */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  timezone: string;
  lark: LarkConfig;
  adminToken: string | undefined;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** PLAYGROUND: 'on' forces the playground, 'off' forbids it; unset = on without Lark credentials. */
  playground: 'on' | 'off' | undefined;
  /** DEMO: seed the playground's demo office in its own in-memory database (default on). */
  demo: boolean;
  /** OA_WEBHOOK_SECRET: signs POST /intake/oa; unset → that route refuses every request. */
  oaWebhookSecret?: string | undefined;
  /** BACKUP_DIR: where the embedded database's backups are written (the `backup` job, npm run backup). */
  backupDir: string;
  /** BACKUP_KEEP: how many backups to keep there; the oldest beyond are deleted after each new one. */
  backupKeep: number;
}

export interface LarkConfig {
  appId: string | undefined;
  appSecret: string | undefined;
  verificationToken: string | undefined;
  encryptKey: string | undefined;
  /** Base URL of the Open API, without a trailing slash. */
  baseUrl: string;
  /**
   * LARK_MODE: how events and card callbacks arrive. `webhook` (default): Lark POSTs them to
   * /lark/events and /lark/cards; `ws`: the process dials out to Lark's long connection
   * (src/lark/ws/), for networks without a public HTTPS address. Sending is the same in both.
   */
  mode: 'webhook' | 'ws';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const optionalSecret = z.preprocess(blankToUndefined, z.string().optional());

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const LARK_DOMAINS: Record<string, string> = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
};

const envSchema = z.object({
  PORT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return 3000;
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < 1 || n > 65535) {
          ctx.addIssue({ code: 'custom', message: `expected an integer 1–65535, got ${JSON.stringify(v)}` });
          return z.NEVER;
        }
        return n;
      }),
  ),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (v === undefined) return;
        let url: URL;
        try {
          url = new URL(v);
        } catch {
          ctx.addIssue({
            code: 'custom',
            message: 'expected a URL like postgres://user:password@host:5432/db',
          });
          return;
        }
        if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
          ctx.addIssue({
            code: 'custom',
            message: `expected a postgres:// or postgresql:// URL (the scheme given is "${url.protocol.replace(':', '')}")`,
          });
        }
      }),
  ),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  APP_TIMEZONE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('Asia/Shanghai')
      .superRefine((v, ctx) => {
        if (!isValidTimeZone(v))
          ctx.addIssue({
            code: 'custom',
            message: `expected an IANA time zone such as Asia/Shanghai, got ${JSON.stringify(v)}`,
          });
      }),
  ),
  LARK_APP_ID: optionalSecret,
  LARK_APP_SECRET: optionalSecret,
  LARK_VERIFICATION_TOKEN: optionalSecret,
  LARK_ENCRYPT_KEY: optionalSecret,
  LARK_DOMAIN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('feishu')
      .transform((v, ctx) => {
        const known = LARK_DOMAINS[v.toLowerCase()];
        if (known) return known;
        if (/^https?:\/\/[^\s/]+(:\d+)?(\/[^\s]*)?$/.test(v)) return v.replace(/\/+$/, '');
        ctx.addIssue({
          code: 'custom',
          message: `expected "feishu", "lark" or a base URL such as http://127.0.0.1:9000, got ${JSON.stringify(v)}`,
        });
        return z.NEVER;
      }),
  ),
  LARK_MODE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('webhook')
      .transform((v, ctx) => {
        const mode = v.toLowerCase();
        if (mode === 'webhook' || mode === 'ws') return mode;
        ctx.addIssue({ code: 'custom', message: `expected "webhook" or "ws", got ${JSON.stringify(v)}` });
        return z.NEVER;
      }),
  ),
  ADMIN_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters long' }),
  ),
  PLAYGROUND: z.preprocess(
    blankToUndefined,
    z.enum(['on', 'off'], { message: 'expected "on" or "off"' }).optional(),
  ),
  DEMO: z.preprocess(
    blankToUndefined,
    z.enum(['on', 'off'], { message: 'expected "on" or "off"' }).default('on'),
  ),
  OA_WEBHOOK_SECRET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters long' }),
  ),
  BACKUP_DIR: z.preprocess(blankToUndefined, z.string().default('./backups')),
  BACKUP_KEEP: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return 14;
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1 || n > 10_000) {
          ctx.addIssue({
            code: 'custom',
            message: `expected an integer 1–10000 (backups kept), got ${JSON.stringify(v)}`,
          });
          return z.NEVER;
        }
        return n;
      }),
  ),
  BODY_LIMIT_BYTES: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return 1024 * 1024;
        if (!/^\d+$/.test(v) || Number(v) < 1024) {
          ctx.addIssue({
            code: 'custom',
            message: `expected an integer of at least 1024 (bytes), got ${JSON.stringify(v)}`,
          });
          return z.NEVER;
        }
        return Number(v);
      }),
  ),
});

/** Variables whose values must never be echoed back, even in error messages. */
const SECRET_VARIABLES = new Set([
  'LARK_APP_SECRET',
  'LARK_VERIFICATION_TOKEN',
  'LARK_ENCRYPT_KEY',
  'ADMIN_TOKEN',
  'OA_WEBHOOK_SECRET',
  'DATABASE_URL',
]);

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      const message = SECRET_VARIABLES.has(variable)
        ? issue.message.replace(/,? got .*$/, '').trim()
        : issue.message;
      return `${variable}: ${message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if ((e.LARK_APP_ID === undefined) !== (e.LARK_APP_SECRET === undefined)) {
    problems.push(
      e.LARK_APP_ID === undefined
        ? 'LARK_APP_ID: required when LARK_APP_SECRET is set'
        : 'LARK_APP_SECRET: required when LARK_APP_ID is set',
    );
  }
  if (e.LARK_MODE === 'ws' && e.LARK_APP_ID === undefined && e.LARK_APP_SECRET === undefined) {
    problems.push(
      'LARK_MODE: "ws" needs LARK_APP_ID and LARK_APP_SECRET (the long connection logs in as the app)',
    );
  }
  if (e.LARK_MODE === 'ws' && e.LARK_APP_ID !== undefined && !/^cli_[0-9a-fA-F]{16}$/.test(e.LARK_APP_ID)) {
    problems.push(
      'LARK_APP_ID: LARK_MODE "ws" needs the app id as the console shows it (cli_ and 16 hexadecimal digits)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    timezone: e.APP_TIMEZONE,
    adminToken: e.ADMIN_TOKEN,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    playground: e.PLAYGROUND,
    demo: e.DEMO === 'on',
    oaWebhookSecret: e.OA_WEBHOOK_SECRET,
    backupDir: e.BACKUP_DIR,
    backupKeep: e.BACKUP_KEEP,
    lark: {
      appId: e.LARK_APP_ID,
      appSecret: e.LARK_APP_SECRET,
      verificationToken: e.LARK_VERIFICATION_TOKEN,
      encryptKey: e.LARK_ENCRYPT_KEY,
      baseUrl: e.LARK_DOMAIN,
      mode: e.LARK_MODE,
    },
  };
}

export function larkConfigured(config: Config): boolean {
  return config.lark.appId !== undefined && config.lark.appSecret !== undefined;
}

/** The playground runs when PLAYGROUND=on, or when PLAYGROUND is unset and no Lark app is configured. */
export function playgroundEnabled(config: Config): boolean {
  if (config.playground !== undefined) return config.playground === 'on';
  return !larkConfigured(config);
}
