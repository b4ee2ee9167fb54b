/** A minimal MLLP test client: writes raw bytes, collects reply frames. */
import net from 'node:net';
import { MllpDecoder } from '../../../src/patients/mllp-framing.js';

export class MllpTestClient {
  private readonly socket: net.Socket;
  private readonly decoder = new MllpDecoder(16 * 1024 * 1024);
  readonly replies: string[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const e of this.decoder.push(chunk)) if (e.kind === 'frame') this.replies.push(e.payload.toString('latin1'));
      this.waiters = this.waiters.filter((w) => (this.replies.length >= w.count ? (w.resolve(), false) : true));
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters) w.resolve();
      this.waiters = [];
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<MllpTestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new MllpTestClient(socket)));
      socket.setNoDelay(true); // so split writes really leave as separate segments
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer | string): Promise<void> {
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  /** Resolves when `count` replies have arrived in total (or the connection closed). */
  waitForReplies(count: number, timeoutMs = 5000): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} replies, have ${this.replies.length}`)), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(this.replies);
      };
      if (this.replies.length >= count || this.closed) done();
      else this.waiters.push({ count, resolve: done });
    });
  }

  end(): void {
    this.socket.end();
  }

  waitClosed(): Promise<void> {
    return new Promise((resolve) => (this.closed ? resolve() : this.socket.once('close', () => resolve())));
  }
}
