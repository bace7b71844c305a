import * as lark from '@larksuiteoapi/node-sdk';
import type { Deps } from '../../deps.js';
import type { BackgroundTask } from '../../platform/background.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { decryptLark } from '../crypto.js';
import { receiveLarkBody } from '../inbound/entry.js';
import type { InboundHandlers } from '../inbound/handlers.js';
import type { LongConnectionState, LongConnectionStatus } from './status.js';

export interface LongConnection extends BackgroundTask, LongConnectionState {}

export interface LongConnectionOptions {
  /** The wait before the n-th restart (1, 2, …) after the SDK gave up; default 5 s doubling to 5 min. */
  restartAfterMs?: (attempt: number) => number;
}

/** 5 s, 10 s, 20 s, … at most 5 minutes. */
export function restartBackoffMs(attempt: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
}

/** The SDK's long connection logs in with the app id, which it checks has this form. */
export const APP_ID_PATTERN = /^cli_[0-9a-fA-F]{16}$/;

/**
 * Hands every body that arrives over the long connection to receiveLarkBody as it came (the
 * schema 2.0 envelope), instead of the SDK's flattened copy: that copy mixes the header into the
 * event (a card callback's update token overwrites the header's) and is not the envelope the
 * webhook stores, so the durable record and its dedupe by event_id would differ by transport.
 */
class EnvelopeDispatcher extends lark.EventDispatcher {
  constructor(
    private readonly receive: (body: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>,
  ) {
    super({ loggerLevel: lark.LoggerLevel.error, logger: quietSdkLogger() });
  }

  override invoke(data: unknown): Promise<Record<string, unknown> | undefined> {
    return this.receive((data ?? {}) as Record<string, unknown>);
  }
}

function quietSdkLogger(logger?: Logger) {
  // The SDK's debug lines carry whole events (message texts) and its connect URL (a ticket):
  // only its warnings and errors are kept, as one short line.
  const line = (args: unknown[]) =>
    args
      .filter((a) => typeof a === 'string')
      .join(' ')
      .slice(0, 300);
  return {
    error: (...args: unknown[]) => logger?.warn('lark long connection', { sdk: line(args) }),
    warn: (...args: unknown[]) => logger?.warn('lark long connection', { sdk: line(args) }),
    info: (...args: unknown[]) => logger?.debug('lark long connection', { sdk: line(args) }),
    debug: () => {},
    trace: () => {},
  };
}

/**
 * LARK_MODE=ws: events and card callbacks arrive over the SDK's WSClient (Lark's long
 * connection, dialled out from here, so no public URL is needed) and go exactly where the
 * webhook's go (receiveLarkBody): the same stored record, the same dedupe, the same answer
 * within Lark's 3 s, sent back on the connection. The connection was authenticated when it was
 * opened (endpoint discovery with the app secret), and Lark sends its bodies on it in plain
 * text, unsigned: there is no request signature to check.
 *
 * A dropped connection is re-dialled by the SDK at the interval Lark's endpoint gives; when the
 * SDK gives up (its endpoint call refused, the app's 50 connections taken), this task starts it
 * again after a backoff. Several instances may each hold a connection: Lark hands each message
 * to one of them, and the store deduplicates a re-delivery whichever instance it reaches.
 * stop() closes the socket, then waits for the bodies still being handled.
 */
export function longConnectionTask(
  deps: Deps,
  handlers: InboundHandlers,
  options: LongConnectionOptions = {},
): LongConnection {
  const { logger, clock } = deps;
  const { appId, appSecret, baseUrl, encryptKey } = deps.config.lark;
  const restartAfterMs = options.restartAfterMs ?? restartBackoffMs;
  const inFlight = new Set<Promise<unknown>>();
  let connectedAt: Date | null = null;
  let lastMessageAt: Date | null = null;
  let reconnects = 0;
  let everConnected = false;
  let failures = 0;
  let lastError: string | null = null;
  let nextAttemptAt: Date | null = null;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopped = true;

  const receive = async (raw: Record<string, unknown>) => {
    lastMessageAt = clock.now();
    let body = raw;
    // Lark sends plain text here; an encrypted body (as on the webhook) is opened all the same.
    if (typeof raw.encrypt === 'string' && encryptKey)
      body = JSON.parse(decryptLark(encryptKey, raw.encrypt));
    const work = receiveLarkBody(deps, handlers, body, body.schema === '2.0' ? '2.0' : 'v1').catch(
      (error: unknown) => {
        if (error instanceof AppError && error.status === 400) {
          logger.warn('lark long connection: a body that is not an event was ignored', { code: error.code });
          return undefined;
        }
        // Not stored (the database did not answer…): the SDK answers 500 and Lark delivers again.
        logger.error('lark long connection: a body could not be received', { error });
        throw error;
      },
    );
    inFlight.add(work);
    try {
      return await work;
    } finally {
      inFlight.delete(work);
    }
  };

  const connected = () => {
    connectedAt = clock.now();
    if (everConnected) reconnects++;
    everConnected = true;
    failures = 0;
    nextAttemptAt = null;
    logger.info('lark long connection up', { reconnects });
  };

  const dispatcher = new EnvelopeDispatcher(receive);
  const client = new lark.WSClient({
    appId: appId ?? '',
    appSecret: appSecret ?? '',
    domain: baseUrl,
    loggerLevel: lark.LoggerLevel.warn,
    logger: quietSdkLogger(logger),
    autoReconnect: true,
    onReady: connected,
    onReconnected: connected,
    onReconnecting: () => logger.warn('lark long connection dropped, reconnecting'),
    onError: (error) => {
      failures++;
      lastError = error.message;
      const waitMs = restartAfterMs(failures);
      nextAttemptAt = new Date(clock.now().getTime() + waitMs);
      logger.error('lark long connection failed, starting it again later', {
        error: error.message,
        waitMs,
      });
      if (stopped) return;
      clearTimeout(restartTimer);
      restartTimer = setTimeout(() => {
        if (!stopped) void client.start({ eventDispatcher: dispatcher });
      }, waitMs);
      restartTimer.unref?.();
    },
  });

  return {
    name: 'lark-long-connection',
    start() {
      stopped = false;
      if (!APP_ID_PATTERN.test(appId ?? '')) {
        // The SDK would only log this and never connect.
        lastError = 'LARK_APP_ID is not an app id (cli_ followed by 16 hexadecimal digits)';
        logger.error('lark long connection not started', { error: lastError });
        return;
      }
      void client.start({ eventDispatcher: dispatcher });
    },
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      client.close();
      await Promise.allSettled([...inFlight]);
    },
    status(): LongConnectionStatus {
      const sdk = client.getConnectionStatus();
      return {
        state: stopped
          ? 'closed'
          : lastError !== null && !everConnected && sdk.state === 'idle'
            ? 'failed'
            : sdk.state,
        connectedAt: connectedAt?.toISOString() ?? null,
        lastMessageAt: lastMessageAt?.toISOString() ?? null,
        reconnects,
        lastError,
        nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
      };
    },
  };
}
