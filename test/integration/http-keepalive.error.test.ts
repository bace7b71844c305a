import { connect, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { openTestDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testConfig, testDeps } from '../helpers/deps.js';

/**
 * A real HTTP server and a raw keep-alive socket: after a 413 the client must not find its
 * connection broken under the next request. Either the server says `Connection: close` and
 * closes, or the connection keeps working.
 */
describe('a body over the limit on a keep-alive connection', () => {
  let database: DatabaseHandle;
  let server: ReturnType<typeof serve>;
  let port: number;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const app = createApp(testDeps(database, { config: testConfig({ BODY_LIMIT_BYTES: '1024' }) }));
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
  });

  /** Reads one HTTP response (headers and a Content-Length body) from the socket. */
  function readResponse(socket: Socket): Promise<{ status: number; headers: string; ended: Promise<void> }> {
    return new Promise((resolve, reject) => {
      let buffer = '';
      const ended = new Promise<void>((done) => socket.once('close', () => done()));
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        const head = buffer.indexOf('\r\n\r\n');
        if (head < 0) return;
        const headers = buffer.slice(0, head);
        const length = Number(/content-length:\s*(\d+)/i.exec(headers)?.[1] ?? 0);
        if (buffer.length - head - 4 < length) return;
        socket.off('data', onData);
        resolve({ status: Number(headers.split(' ')[1]), headers: headers.toLowerCase(), ended });
      };
      socket.on('data', onData);
      socket.once('error', reject);
      socket.once('close', () =>
        reject(new Error(`connection closed before a response; got ${buffer.length} bytes`)),
      );
    });
  }

  it('the 413 either closes the connection with Connection: close, or the next request works', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => {});
    // A large body still on its way when the 413 is answered (the server stops reading early).
    const big = JSON.stringify({ title: 'x'.repeat(200_000) });
    const first = readResponse(socket);
    socket.write(
      `POST /api/v1/items HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nAuthorization: Bearer ${TEST_ADMIN_TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(big)}\r\n\r\n${big.slice(0, 1000)}`,
    );
    const response = await first;
    expect(response.status).toBe(413);

    if (response.headers.includes('connection: close')) {
      // The server said it would close, and does: the client opens a new connection.
      await response.ended;
      expect(socket.destroyed || socket.readableEnded).toBe(true);
      return;
    }
    // The rest of the body arrives a while later, as from a slow client.
    await new Promise((r) => setTimeout(r, 700));
    socket.write(big.slice(1000));
    const second = readResponse(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    expect((await second).status).toBe(200);
    socket.destroy();
  });
});
