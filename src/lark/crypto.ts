import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Lark's AES key: SHA-256 of the Encrypt Key as configured. */
function aesKey(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey, 'utf8').digest();
}

/** Decrypts an `{"encrypt": …}` body: base64(IV(16) ‖ AES-256-CBC ciphertext, PKCS#7). */
export function decryptLark(encryptKey: string, encrypted: string): string {
  const raw = Buffer.from(encrypted, 'base64');
  if (raw.length < 32 || raw.length % 16 !== 0) throw new Error('encrypted body has a wrong length');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

/** The inverse of decryptLark, as Lark does it (used by tests and the fake). */
export function encryptLark(encryptKey: string, plaintext: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** X-Lark-Signature of a 2.0 request: hex(SHA-256(timestamp + nonce + encryptKey + rawBody)). */
export function larkSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Uint8Array,
): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey)
    .update(rawBody)
    .digest('hex');
}

/** Signature of an old-style (v1) unencrypted card callback: SHA-1 with the verification token. */
export function larkV1CardSignature(
  timestamp: string,
  nonce: string,
  verificationToken: string,
  rawBody: Uint8Array,
): string {
  return createHash('sha1')
    .update(timestamp + nonce + verificationToken)
    .update(rawBody)
    .digest('hex');
}

/** Compares two strings without leaking where they differ (lengths may leak, which is fine). */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    // Still spend the comparison so timing does not depend on how much matched.
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}
