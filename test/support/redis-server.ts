/**
 * A private redis-server for one test file: a free port on 127.0.0.1, a temporary directory, no
 * persistence unless asked (durable). stop() / start() again on the same port let a test simulate a Redis outage.
 *
 * When the redis-server binary is missing: outside CI the caller skips loudly (see redisUnavailable());
 * under CI=true it is an error (scripts/services/redis.sh start installs Debian's redis-server).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningRedis {
  port: number;
  url: string;
  /** Stops the server (kills it: simulates an outage); the port stays reserved for start(). */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty unless durable). */
  start(): Promise<void>;
  /** Stops and removes the temporary directory. */
  dispose(): Promise<void>;
}

/** undefined when redis-server can run here; otherwise why not (for a loud skip). */
export function redisUnavailable(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const why = 'redis-server binary not found (run scripts/services/redis.sh start, which installs Debian redis-server)';
    if (process.env.CI === 'true') throw new Error(`CI=true but ${why}`);
    return why;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export interface RedisServerOptions {
  /**
   * Append-only file with fsync on every write, kept in the temp directory across stop()/start(): a
   * restart then keeps every acknowledged write, as a production Redis for BullMQ is configured.
   */
  durable?: boolean;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'xds-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const proc = spawn(
      'redis-server',
      [
        '--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--logfile', path.join(dir, 'redis.log'),
        ...(options.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      ],
      { stdio: 'ignore' },
    );
    child = proc;
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}; see ${dir}/redis.log`))),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await Promise.race([ping(port), exited])) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`redis-server did not answer PING on port ${port} within 10 s`);
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
