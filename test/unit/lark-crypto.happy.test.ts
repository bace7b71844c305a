import { describe, expect, it } from 'vitest';
import { constantTimeEqual, decryptLark, encryptLark, larkSignature } from '../../src/lark/crypto.js';

describe('Lark crypto', () => {
  it('decrypts the official test vector', () => {
    expect(decryptLark('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('encrypts what it decrypts, with a fresh IV each time', () => {
    const a = encryptLark('k', '{"a":"中文"}');
    const b = encryptLark('k', '{"a":"中文"}');
    expect(a).not.toBe(b);
    expect(decryptLark('k', a)).toBe('{"a":"中文"}');
    expect(() => decryptLark('other key', a)).toThrow();
  });

  it('signs timestamp + nonce + key + raw body with SHA-256', () => {
    // hex(sha256("1700000000" + "nonce" + "key" + "{}")), computed with sha256sum
    const sig = larkSignature('1700000000', 'nonce', 'key', Buffer.from('{}'));
    expect(sig).toBe('eeea17a251c07ba68b1862fc89789a3b57aab829e96b602697a8f3f58da564e4');
    // The signature covers the raw bytes: a re-serialised body signs differently.
    expect(larkSignature('1700000000', 'nonce', 'key', Buffer.from('{ }'))).not.toBe(sig);
  });

  it('compares in constant time and handles different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });
});
