import { afterEach, describe, expect, it } from 'vitest';
import { encodeMllpFrame } from '../../../src/patients/mllp-framing.js';
import { startMllpServer, type MllpFrameInfo, type MllpServer } from '../../../src/patients/mllp-server.js';
import { MllpTestClient } from './mllp-client.js';

let server: MllpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Echo handler: replies "ACK:<payload>" so tests can match replies to requests. */
function echo(received: { payload: string; info: MllpFrameInfo }[] = []) {
  return async (payload: Buffer, info: MllpFrameInfo) => {
    received.push({ payload: payload.toString('latin1'), info });
    return `ACK:${payload.toString('latin1')}`;
  };
}

describe('startMllpServer', () => {
  it('binds an ephemeral port when 0 is asked for and reports it', async () => {
    server = await startMllpServer({ host: '127.0.0.1', port: 0, onMessage: echo() });
    expect(server.port).toBeGreaterThan(0);
    expect(server.host).toBe('127.0.0.1');
  });

  it('answers a frame split across TCP writes at every byte position', async () => {
    server = await startMllpServer({ host: '127.0.0.1', port: 0, onMessage: echo() });
    const frame = encodeMllpFrame('MSH|^~\\&|SPLIT');
    const client = await MllpTestClient.connect(server.port);
    for (let cut = 1; cut < frame.length; cut++) {
      await client.write(frame.subarray(0, cut));
      await new Promise((r) => setImmediate(r));
      await client.write(frame.subarray(cut));
      await client.waitForReplies(cut);
    }
    expect(client.replies).toHaveLength(frame.length - 1);
    expect(new Set(client.replies)).toEqual(new Set(['ACK:MSH|^~\\&|SPLIT']));
    client.end();
  });

  it('answers several frames from one write, in order, skipping garbage between them', async () => {
    const received: { payload: string; info: MllpFrameInfo }[] = [];
    server = await startMllpServer({ host: '127.0.0.1', port: 0, onMessage: echo(received) });
    const client = await MllpTestClient.connect(server.port);
    await client.write(Buffer.concat([encodeMllpFrame('one'), Buffer.from('noise\r\n'), encodeMllpFrame('two'), encodeMllpFrame('three')]));
    expect(await client.waitForReplies(3)).toEqual(['ACK:one', 'ACK:two', 'ACK:three']);
    expect(received.map((r) => r.payload)).toEqual(['one', 'two', 'three']);
    client.end();
  });

  it('keeps replies in request order even when earlier messages take longer', async () => {
    const delays: Record<string, number> = { slow: 60, fast: 0 };
    server = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      onMessage: async (p) => {
        await new Promise((r) => setTimeout(r, delays[p.toString()] ?? 0));
        return `ACK:${p.toString()}`;
      },
    });
    const client = await MllpTestClient.connect(server.port);
    await client.write(Buffer.concat([encodeMllpFrame('slow'), encodeMllpFrame('fast')]));
    expect(await client.waitForReplies(2)).toEqual(['ACK:slow', 'ACK:fast']);
    client.end();
  });

  it('passes an oversize frame as its head with the oversize info, then goes on', async () => {
    const received: { payload: string; info: MllpFrameInfo }[] = [];
    server = await startMllpServer({ host: '127.0.0.1', port: 0, maxFrameBytes: 2048, onMessage: echo(received) });
    const client = await MllpTestClient.connect(server.port);
    await client.write(Buffer.concat([encodeMllpFrame('H'.repeat(10_000)), encodeMllpFrame('small')]));
    await client.waitForReplies(2);
    expect(received[0]!.info.oversize).toEqual({ size: 10_000, limit: 2048 });
    expect(received[0]!.payload.length).toBe(1024);
    expect(received[1]).toMatchObject({ payload: 'small', info: {} });
    expect(received[1]!.info.oversize).toBeUndefined();
    client.end();
  });

  it('still answers when the client half-closes right after sending', async () => {
    server = await startMllpServer({ host: '127.0.0.1', port: 0, onMessage: echo() });
    const client = await MllpTestClient.connect(server.port);
    await client.write(encodeMllpFrame('bye'));
    client.end();
    expect(await client.waitForReplies(1)).toEqual(['ACK:bye']);
    await client.waitClosed();
  });

  it('closes the connection when the handler throws', async () => {
    server = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      onMessage: async () => {
        throw new Error('boom');
      },
    });
    const client = await MllpTestClient.connect(server.port);
    await client.write(encodeMllpFrame('x'));
    await client.waitClosed();
    expect(client.replies).toEqual([]);
  });

  it('closes gracefully: an in-flight message is still answered, then the port is free', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    server = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      onMessage: async (p) => {
        started();
        await gate;
        return `ACK:${p.toString()}`;
      },
    });
    const port = server.port;
    const client = await MllpTestClient.connect(port);
    await client.write(encodeMllpFrame('late'));
    await inFlight;
    const closing = server.close();
    release();
    await closing;
    server = undefined;
    expect(await client.waitForReplies(1)).toEqual(['ACK:late']);
    await client.waitClosed();
    await expect(MllpTestClient.connect(port)).rejects.toThrow();
  });

  it('close() cuts a connection whose handler never finishes, after the grace period', async () => {
    server = await startMllpServer({ host: '127.0.0.1', port: 0, closeGraceMs: 100, onMessage: () => new Promise(() => {}) });
    const client = await MllpTestClient.connect(server.port);
    await client.write(encodeMllpFrame('stuck'));
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await server.close();
    server = undefined;
    await client.waitClosed();
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('closes a connection idle longer than idleTimeoutMs', async () => {
    server = await startMllpServer({ host: '127.0.0.1', port: 0, idleTimeoutMs: 100, onMessage: echo() });
    const client = await MllpTestClient.connect(server.port);
    await client.write(encodeMllpFrame('hi'));
    expect(await client.waitForReplies(1)).toEqual(['ACK:hi']);
    await client.waitClosed();
    expect(client.closed).toBe(true);
  });

  it('fails to start on a port that is taken', async () => {
    server = await startMllpServer({ host: '127.0.0.1', port: 0, onMessage: echo() });
    await expect(startMllpServer({ host: '127.0.0.1', port: server.port, onMessage: echo() })).rejects.toThrow(/EADDRINUSE/);
  });
});
