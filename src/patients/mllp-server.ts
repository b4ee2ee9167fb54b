/**
 * MLLP listener (TCP, node:net) for the ITI-8 Patient Identity Feed (ITI TF-2a §3.8; transport per
 * ITI TF-2x Appendix C.2.1 "HL7 v2 over MLLP"). It only frames and orders: each complete frame goes to
 * `onMessage`, whose answer (the HL7 ACK) is framed and written back. HL7 content is not looked at here.
 *
 * Per connection, messages are handled one at a time in arrival order, because HL7 original-mode
 * acknowledgement pairs each ACK with the message before it (HL7 v2.5 §2.9.2); while a backlog waits, the
 * socket is paused so a fast sender cannot queue unbounded work.
 */
import net from 'node:net';
import { MllpDecoder, encodeMllpFrame, type MllpEvent } from './mllp-framing.js';

/** Minimal structured logger (the composition root's Logger satisfies it). */
export interface MllpLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface MllpFrameInfo {
  /** Set when the frame exceeded maxFrameBytes: the payload is only its first bytes. */
  oversize?: { size: number; limit: number };
  remoteAddress?: string;
}

/** Handles one message; returns the reply payload (framed by the server). Should not throw. */
export type MllpMessageHandler = (payload: Buffer, info: MllpFrameInfo) => Promise<Buffer | string>;

export interface MllpServerOptions {
  host: string;
  /** 0 = an ephemeral port (tests); the bound port is in the result. */
  port: number;
  onMessage: MllpMessageHandler;
  /** Largest frame accepted (bytes between VT and FS); default 1 MiB. */
  maxFrameBytes?: number;
  /** A connection idle this long is closed; default 5 minutes, 0 = never. */
  idleTimeoutMs?: number;
  /** Concurrent connections; default 256. */
  maxConnections?: number;
  /** How long close() waits for in-flight messages before cutting connections; default 5 s. */
  closeGraceMs?: number;
  logger?: MllpLogger;
}

export interface MllpServer {
  readonly host: string;
  /** The bound port (the ephemeral one when 0 was asked for). */
  readonly port: number;
  /** Stops accepting, lets in-flight messages finish and answer, then closes every connection. */
  close(): Promise<void>;
}

const DEFAULT_MAX_FRAME = 1024 * 1024;
const MAX_BACKLOG = 16;

const silent: MllpLogger = { info: () => {}, warn: () => {}, error: () => {} };

export async function startMllpServer(options: MllpServerOptions): Promise<MllpServer> {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME;
  const idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
  const closeGraceMs = options.closeGraceMs ?? 5_000;
  const logger = options.logger ?? silent;
  const connections = new Set<Connection>();
  let closing = false;

  // allowHalfOpen: a sender may shut down its side right after its last frame and still wait for the ACK.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, options.onMessage, maxFrameBytes, logger);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
    if (idleTimeoutMs > 0) {
      socket.setTimeout(idleTimeoutMs, () => {
        logger.info('MLLP connection idle, closing', { remote: socket.remoteAddress });
        socket.end();
      });
    }
  });
  server.maxConnections = options.maxConnections ?? 256;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('MLLP server error', { error: err.message }));
  const address = server.address() as net.AddressInfo;
  logger.info('MLLP listener started', { host: address.address, port: address.port });

  let closed: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    close: () => {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((c) => c.drainAndEnd(closeGraceMs)));
        await stopped;
      })();
      return closed;
    },
  };
}

/** One client connection: decoder, in-order processing queue, reply writing. */
class Connection {
  private readonly decoder: MllpDecoder;
  private readonly queue: MllpEvent[] = [];
  private working: Promise<void> | undefined;
  private ending = false;
  private peerEnded = false;
  private readonly remote: string | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly onMessage: MllpMessageHandler,
    private readonly maxFrameBytes: number,
    private readonly logger: MllpLogger,
  ) {
    this.decoder = new MllpDecoder(maxFrameBytes);
    this.remote = socket.remoteAddress;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.logger.warn('MLLP connection error', { remote: this.remote, error: err.message }));
    socket.on('end', () => {
      if (this.decoder.pendingBytes > 0) {
        this.logger.warn('MLLP connection ended inside a frame', { remote: this.remote, bytes: this.decoder.pendingBytes });
      }
      // Answer what is queued, then close our side.
      this.peerEnded = true;
      if (!this.working) this.socket.end();
    });
  }

  private onData(chunk: Buffer): void {
    for (const event of this.decoder.push(chunk)) {
      if (event.kind === 'garbage') {
        this.logger.warn('MLLP bytes outside a frame dropped', { remote: this.remote, bytes: event.bytes });
        continue;
      }
      this.queue.push(event);
    }
    if (this.queue.length > MAX_BACKLOG) this.socket.pause();
    if (!this.working && this.queue.length > 0) {
      // .finally runs in a microtask, before any further 'data' event can be delivered.
      this.working = this.work().finally(() => {
        this.working = undefined;
        if (this.peerEnded && !this.socket.destroyed) this.socket.end();
      });
    }
  }

  private async work(): Promise<void> {
    for (let event = this.queue.shift(); event; event = this.queue.shift()) {
      if (this.queue.length <= MAX_BACKLOG && !this.ending) this.socket.resume();
      const info: MllpFrameInfo = { remoteAddress: this.remote };
      let payload: Buffer;
      if (event.kind === 'oversize') {
        payload = event.head;
        info.oversize = { size: event.size, limit: this.maxFrameBytes };
        this.logger.warn('MLLP frame over the size limit', { remote: this.remote, size: event.size, limit: this.maxFrameBytes });
      } else if (event.kind === 'frame') {
        payload = event.payload;
      } else {
        continue;
      }
      let reply: Buffer | string;
      try {
        reply = await this.onMessage(payload, info);
      } catch (err) {
        // The handler is meant to answer every message itself (with AE/AR); if it fails anyway, closing
        // the connection tells the sender to resend rather than leaving it waiting for an ACK.
        this.logger.error('MLLP message handler failed; closing connection', { remote: this.remote, error: (err as Error).message });
        this.queue.length = 0;
        this.socket.destroy();
        return;
      }
      if (this.socket.destroyed) return;
      await new Promise<void>((resolve) => this.socket.write(encodeMllpFrame(reply), () => resolve()));
    }
  }

  /** Graceful close: finish queued messages (bounded by graceMs), then end the connection. */
  async drainAndEnd(graceMs: number): Promise<void> {
    this.ending = true;
    this.socket.pause();
    const done = new Promise<void>((resolve) => {
      if (this.socket.destroyed) resolve();
      else this.socket.once('close', () => resolve());
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const finished = await Promise.race([(this.working ?? Promise.resolve()).then(() => 'done' as const), timeout]);
    if (finished === 'timeout') this.socket.destroy();
    else this.socket.end();
    const forced = setTimeout(() => this.socket.destroy(), graceMs);
    await done;
    clearTimeout(timer);
    clearTimeout(forced);
  }
}
