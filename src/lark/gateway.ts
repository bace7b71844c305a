import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkConfig } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';

/** Lark's codes for an invalid or expired tenant_access_token: fetch a new one, retry once. */
export const TOKEN_INVALID_CODES = new Set([99991663, 99991664, 99991671]);
export const RATE_LIMITED_CODE = 99991400;
/** Sends: "this chat/user gets too many messages" (the per-chat/per-user limit). */
const SEND_FREQUENCY_CODE = 230020;

/**
 * Why a call to Lark failed, in the terms the outbox needs to decide what to do next.
 * - rate_limited: not accepted; wait `resetSeconds` and try again.
 * - transient: 5xx, a timeout or a broken connection — Lark may or may not have accepted it,
 *   so a retry is safe only with the same uuid, inside its 1-hour window.
 * - permanent: Lark refused it for a reason that retrying will not fix (bot not in chat…).
 */
export class LarkError extends Error {
  constructor(
    readonly kind: 'rate_limited' | 'transient' | 'permanent' | 'token_invalid',
    message: string,
    readonly details: { httpStatus?: number; code?: number; resetSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'LarkError';
  }
}

export interface SendResult {
  messageId: string | null;
}

/** Everything cuiban does on Lark's Open API. One per process; its token cache is its own. */
export interface LarkGateway {
  send(input: {
    receiveIdType: string;
    receiveId: string;
    msgType: string;
    content: string;
    uuid?: string;
  }): Promise<SendResult>;
  reply(input: { messageId: string; msgType: string; content: string; uuid?: string }): Promise<SendResult>;
  /** Replaces a sent card for everyone (the card needs `config.update_multi: true`). */
  patch(input: { messageId: string; content: string }): Promise<void>;
  /** The delayed update after a card callback, with the callback's token. */
  cardUpdate(input: { token: string; card: unknown }): Promise<void>;
  /** The bot's own open_id (fetched once, then cached). */
  botOpenId(): Promise<string>;
}

export interface GatewayOptions {
  /** Per-request timeout, including the token fetch. */
  timeoutMs?: number;
}

type Envelope = {
  code?: number;
  msg?: string;
  data?: { message_id?: string; bot?: { open_id?: string } };
  bot?: { open_id?: string };
};

/** Classifies what the SDK threw (an AxiosError for non-2xx, a network error, …). */
export function classifyError(err: unknown): LarkError {
  if (err instanceof LarkError) return err;
  const e = err as {
    code?: string;
    message?: string;
    response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
  };
  const response = e?.response;
  if (response?.status !== undefined) {
    const status = response.status;
    const data = (
      typeof response.data === 'object' && response.data !== null ? response.data : {}
    ) as Envelope;
    const code = typeof data.code === 'number' ? data.code : undefined;
    const reset = Number(response.headers?.['x-ogw-ratelimit-reset']);
    const details = {
      httpStatus: status,
      ...(code === undefined ? {} : { code }),
      ...(Number.isFinite(reset) && reset >= 0 ? { resetSeconds: reset } : {}),
    };
    const msg = `HTTP ${status}${code === undefined ? '' : ` code ${code}`}: ${data.msg ?? e.message ?? ''}`;
    if (status === 429 || code === RATE_LIMITED_CODE || code === SEND_FREQUENCY_CODE)
      return new LarkError('rate_limited', msg, details);
    if (code !== undefined && TOKEN_INVALID_CODES.has(code))
      return new LarkError('token_invalid', msg, details);
    if (status >= 500) return new LarkError('transient', msg, details);
    return new LarkError('permanent', msg, details);
  }
  // No response: a timeout, a refused or dropped connection. Lark may have accepted the request.
  return new LarkError('transient', `no response from Lark (${e?.code ?? e?.message ?? 'unknown error'})`);
}

function fromEnvelope(res: Envelope): Envelope {
  const code = res?.code;
  if (code === 0 || code === undefined) return res;
  const msg = `code ${code}: ${res.msg ?? ''}`;
  if (code === RATE_LIMITED_CODE || code === SEND_FREQUENCY_CODE)
    throw new LarkError('rate_limited', msg, { httpStatus: 200, code });
  if (TOKEN_INVALID_CODES.has(code)) throw new LarkError('token_invalid', msg, { httpStatus: 200, code });
  throw new LarkError('permanent', msg, { httpStatus: 200, code });
}

/** A token cache of the gateway's own that can be emptied when Lark says the token is invalid. */
class ClearableCache extends lark.DefaultCache {
  clear(): void {
    this.values.clear();
  }
}

/**
 * The Lark gateway over `@larksuiteoapi/node-sdk`. Calls go through `client.request`, so every
 * request (the token fetch too) has a timeout and the same error handling. On a token-invalid
 * code the cached token is dropped and the call retried once.
 */
export function createLarkGateway(
  config: LarkConfig,
  logger: Logger,
  options: GatewayOptions = {},
): LarkGateway {
  if (!config.appId || !config.appSecret) throw new Error('LARK_APP_ID and LARK_APP_SECRET are required');
  const timeout = options.timeoutMs ?? 10_000;
  const cache = new ClearableCache();
  const base = lark.defaultHttpInstance as unknown as lark.HttpInstance;
  // Wraps the SDK's axios instance so that every call it makes, the token fetch included, times out.
  const httpInstance: lark.HttpInstance = {
    request: (opts) => base.request({ timeout, ...opts }),
    get: (url, opts) => base.get(url, { timeout, ...opts }),
    delete: (url, opts) => base.delete(url, { timeout, ...opts }),
    head: (url, opts) => base.head(url, { timeout, ...opts }),
    options: (url, opts) => base.options(url, { timeout, ...opts }),
    post: (url, data, opts) => base.post(url, data, { timeout, ...opts }),
    put: (url, data, opts) => base.put(url, data, { timeout, ...opts }),
    patch: (url, data, opts) => base.patch(url, data, { timeout, ...opts }),
  };
  const sdkLog = (level: 'warn' | 'debug') => () => {
    // The SDK logs whole request configs (headers included): keep only that something happened.
    if (level === 'warn') logger.debug('lark sdk reported a problem');
  };
  const client = new lark.Client({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.baseUrl,
    cache,
    httpInstance,
    loggerLevel: lark.LoggerLevel.error,
    logger: {
      error: sdkLog('warn'),
      warn: sdkLog('warn'),
      info: sdkLog('debug'),
      debug: sdkLog('debug'),
      trace: sdkLog('debug'),
    },
  });

  async function call(payload: {
    method: string;
    url: string;
    data?: unknown;
    params?: Record<string, string>;
  }): Promise<Envelope> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = (await client.request(payload as Parameters<typeof client.request>[0])) as Envelope;
        return fromEnvelope(res);
      } catch (err) {
        const classified = classifyError(err);
        if (classified.kind === 'token_invalid' && attempt === 0) {
          logger.info('lark token rejected, fetching a new one', { code: classified.details.code });
          cache.clear();
          continue;
        }
        if (classified.kind === 'token_invalid') {
          throw new LarkError(
            'transient',
            `token still rejected after a refresh (${classified.message})`,
            classified.details,
          );
        }
        throw classified;
      }
    }
  }

  let botOpenIdPromise: Promise<string> | undefined;

  return {
    async send({ receiveIdType, receiveId, msgType, content, uuid }) {
      const res = await call({
        method: 'POST',
        url: '/open-apis/im/v1/messages',
        params: { receive_id_type: receiveIdType },
        data: { receive_id: receiveId, msg_type: msgType, content, ...(uuid ? { uuid } : {}) },
      });
      return { messageId: res.data?.message_id ?? null };
    },
    async reply({ messageId, msgType, content, uuid }) {
      const res = await call({
        method: 'POST',
        url: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`,
        data: { msg_type: msgType, content, ...(uuid ? { uuid } : {}) },
      });
      return { messageId: res.data?.message_id ?? null };
    },
    async patch({ messageId, content }) {
      await call({
        method: 'PATCH',
        url: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`,
        data: { content },
      });
    },
    async cardUpdate({ token, card }) {
      await call({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card } });
    },
    botOpenId() {
      botOpenIdPromise ??= call({ method: 'GET', url: '/open-apis/bot/v3/info' }).then((res) => {
        const openId = res.bot?.open_id ?? res.data?.bot?.open_id;
        if (!openId) throw new LarkError('transient', 'bot/v3/info answered without an open_id');
        return openId;
      });
      // A failed fetch is not cached: the next call tries again.
      botOpenIdPromise.catch(() => {
        botOpenIdPromise = undefined;
      });
      return botOpenIdPromise;
    },
  };
}
