/**
 * Structured logs: one JSON object per line. Fields named like secrets are masked, so a careless
 * `logger.info('x', {config})` cannot leak a token; document contents are never passed here.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const SECRET_KEY = /secret|token|password|encrypt_?key|authorization|cookie/i;
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export interface LoggerOptions {
  /** Each line handed over synchronously (default: stdout). */
  write?: (line: string) => void;
  level?: LogLevel;
  base?: Record<string, unknown>;
  now?: () => Date;
}

/**
 * A logger writing each line synchronously: tests, Workers (console.log) and scripts. The Node
 * service logs through pino instead (src/platform/pino-logger.ts), with the same fields.
 */
export function createLogger(options: LoggerOptions): Logger {
  return lineLogger(options, options.write ?? ((line: string) => process.stdout.write(`${line}\n`)));
}

function lineLogger(options: LoggerOptions, write: (line: string) => void): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const base = options.base ?? {};
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return;
    const record = {
      time: now().toISOString(),
      level,
      msg,
      ...(redact(base) as object),
      ...(redact(fields ?? {}) as object),
    };
    write(JSON.stringify(record));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => lineLogger({ ...options, base: { ...base, ...fields } }, write),
  };
}

/** A logger that keeps lines in memory, for tests that assert on what was logged. */
export function memoryLogger(): Logger & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ write: (l) => lines.push(JSON.parse(l)), level: 'debug' });
  return Object.assign(logger, { lines });
}

export const silentLogger: Logger = createLogger({ write: () => {}, level: 'error' });
