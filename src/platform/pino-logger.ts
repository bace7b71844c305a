import pino from 'pino';
import { type Logger, type LoggerOptions, redact } from './logger.js';

/**
 * The Node service's logger (src/node.ts): pino buffers lines and writes them asynchronously, so
 * a burst of requests does not wait on `write(2)` for every line (a quarter of a card click's CPU
 * time went there), and it flushes what is left when the process exits. The same fields as
 * createLogger: `time` (ISO), `level`, `msg`, then the bound and given fields, secrets masked.
 * Workers keep createLogger (console.log), which keeps pino out of the worker's bundle.
 */
export function createPinoLogger(
  options: Omit<LoggerOptions, 'write'> & { stream?: pino.DestinationStream },
): Logger {
  const now = options.now ?? (() => new Date());
  const root = pino(
    {
      level: options.level ?? 'info',
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.stream ?? pino.destination({ dest: 1, sync: false }),
  );
  const wrap = (p: pino.Logger): Logger => ({
    debug: (m, f) => p.debug(redact(f ?? {}) as object, m),
    info: (m, f) => p.info(redact(f ?? {}) as object, m),
    warn: (m, f) => p.warn(redact(f ?? {}) as object, m),
    error: (m, f) => p.error(redact(f ?? {}) as object, m),
    child: (fields) => wrap(p.child(redact(fields) as object)),
  });
  return wrap(options.base ? root.child(redact(options.base) as object) : root);
}
