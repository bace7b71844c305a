import type { LarkConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { parseJsonBody, refuseDeepJson } from '../platform/json.js';
import type { Logger } from '../platform/logger.js';
import { constantTimeEqual, decryptLark, larkSignature, larkV1CardSignature } from './crypto.js';

/** How far a request's X-Lark-Request-Timestamp may be from our clock. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

export type VerifiedLarkRequest =
  | { kind: 'challenge'; challenge: string }
  /** A schema 2.0 envelope, a v1 event callback, or a v1 card callback, decrypted and checked. */
  | { kind: 'body'; body: Record<string, unknown>; style: '2.0' | 'v1' };

export interface LarkRequestInput {
  rawBody: Uint8Array;
  header(name: string): string | undefined;
  now: Date;
  path: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The one verification step in front of every Lark handler. It works on the raw body bytes
 * (the signature covers them, not a re-serialisation), refuses with 400/401/403 and a log line
 * naming the reason (never a secret), and has no side effect. Checks, in order:
 *  1. JSON, nested at most MAX_JSON_DEPTH levels (400), decryption when `encrypt` is present (401 when it cannot be decrypted);
 *  2. the X-Lark-Signature over the raw bytes whenever an Encrypt Key is configured (URL
 *     verification may come unsigned), or the SHA-1 signature of an unencrypted v1 card
 *     callback; the timestamp must be within 5 minutes;
 *  3. the Verification Token: `header.token` (2.0) or top-level `token` (v1) — always, since the
 *     SDK never checks it. Without a configured token nothing is accepted.
 */
export function verifyLarkRequest(
  lark: LarkConfig,
  req: LarkRequestInput,
  logger: Logger,
): VerifiedLarkRequest {
  const refuse = (status: 400 | 401 | 403, code: string, reason: string): never => {
    logger.warn('lark request refused', { path: req.path, status, reason });
    throw new AppError(status, code, `Lark request refused: ${reason}.`);
  };

  if (!lark.verificationToken) {
    refuse(403, 'lark_not_configured', 'LARK_VERIFICATION_TOKEN is not set, so no request can be verified');
  }
  const expectedToken = lark.verificationToken!;

  const outer = parseJsonBody(Buffer.from(req.rawBody).toString('utf8'));
  if (!isObject(outer)) throw new AppError(400, 'invalid_json', 'The request body is not a JSON object.');

  let body: Record<string, unknown> = outer;
  const encrypted = typeof outer.encrypt === 'string';
  if (encrypted) {
    if (!lark.encryptKey) refuse(401, 'bad_encryption', 'encrypted body but LARK_ENCRYPT_KEY is not set');
    let decrypted = '';
    try {
      decrypted = decryptLark(lark.encryptKey!, outer.encrypt as string);
    } catch {
      refuse(401, 'bad_encryption', 'the encrypted body cannot be decrypted with the configured key');
    }
    refuseDeepJson(decrypted);
    let plain: unknown;
    try {
      plain = JSON.parse(decrypted);
    } catch {
      refuse(401, 'bad_encryption', 'the encrypted body cannot be decrypted with the configured key');
    }
    if (!isObject(plain)) refuse(401, 'bad_encryption', 'the decrypted body is not a JSON object');
    body = plain as Record<string, unknown>;
  }

  const isChallenge = body.type === 'url_verification';
  const is2 = body.schema === '2.0';
  const timestamp = req.header('x-lark-request-timestamp');
  const nonce = req.header('x-lark-request-nonce');
  const signature = req.header('x-lark-signature');
  const anySignatureHeader = timestamp !== undefined || nonce !== undefined || signature !== undefined;

  const checkTimestamp = () => {
    const seconds = Number(timestamp);
    if (!/^\d{1,12}$/.test(timestamp ?? '') || !Number.isFinite(seconds)) {
      refuse(401, 'bad_signature', 'X-Lark-Request-Timestamp is not a number of seconds');
    }
    const skew = req.now.getTime() - seconds * 1000;
    if (skew > SIGNATURE_WINDOW_MS) refuse(401, 'stale_request', 'the request timestamp is too old');
    if (skew < -SIGNATURE_WINDOW_MS) refuse(401, 'stale_request', 'the request timestamp is in the future');
  };

  const checkSignature = (expected: (ts: string, n: string) => string) => {
    if (!timestamp || !nonce || !signature) refuse(401, 'missing_signature', 'signature headers are missing');
    checkTimestamp();
    if (!constantTimeEqual(signature!.toLowerCase(), expected(timestamp!, nonce!))) {
      refuse(401, 'bad_signature', 'X-Lark-Signature does not match the body');
    }
  };

  if (isChallenge && !anySignatureHeader) {
    // A URL verification may arrive unsigned; its token (checked below) authenticates it.
  } else if (!encrypted && !is2 && isV1CardCallback(body)) {
    // An old-style card callback without encryption: SHA-1 signature with the verification token.
    checkSignature((ts, n) => larkV1CardSignature(ts, n, expectedToken, req.rawBody));
  } else if (lark.encryptKey) {
    // With an Encrypt Key set, Lark signs every event and callback.
    const key = lark.encryptKey;
    checkSignature((ts, n) => larkSignature(ts, n, key, req.rawBody));
  }

  const token = is2 && isObject(body.header) ? body.header.token : body.token;
  if (typeof token !== 'string' || !constantTimeEqual(token, expectedToken)) {
    refuse(403, 'bad_token', 'the verification token does not match');
  }

  if (isChallenge) {
    if (typeof body.challenge !== 'string') throw new AppError(400, 'bad_request', 'challenge is missing.');
    return { kind: 'challenge', challenge: body.challenge };
  }
  return { kind: 'body', body, style: is2 ? '2.0' : 'v1' };
}

/** A v1 card callback: flat, with an `action` object and the clicked message. */
export function isV1CardCallback(body: Record<string, unknown>): boolean {
  return body.schema === undefined && isObject(body.action) && typeof body.open_id === 'string';
}
