/**
 * Runs a hub in a child process for the benchmarks, so its peak RSS (VmHWM) is measured apart from the
 * load generator's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface HubProcess {
  baseUrl: string;
  pid: number;
  /** peak resident set size so far (MiB), from /proc/<pid>/status VmHWM, summed over the hub's processes. */
  peakRssMiB(): number;
  /** CPU seconds (user + system) the hub's live processes have used so far (a cluster: primary + workers). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startHubProcess(dataDir: string, env: Record<string, string> = {}): Promise<HubProcess> {
  const port = await freePort();
  // XDS_BENCH_HUB_NODE_ARGS: extra node options for the hub only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  // to profile the hub under the benchmark's load (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env.XDS_BENCH_HUB_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      XDS_DATA_DIR: dataDir,
      XDS_HTTP_PORT: String(port),
      XDS_HTTP_HOST: '127.0.0.1',
      XDS_MLLP_PORT: '-1',
      XDS_INSECURE_DEV: '1',
      XDS_LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // main.ts prints its "listening" line once the hub (in a cluster: every HTTP worker) is ready; /health
  // alone answers as soon as the first worker listens.
  let started = false;
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    if (started) return;
    out += b.toString();
    started = out.includes('xds-hub listening on');
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode} during start-up`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok && started) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('hub did not start within 60 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    pid: child.pid!,
    peakRssMiB() {
      let kb = 0;
      for (const pid of processTree(child.pid!)) kb += Number(/VmHWM:\s+(\d+)/.exec(readProc(pid, 'status'))?.[1] ?? 0);
      return Math.round(kb / 1024);
    },
    cpuSeconds() {
      return processTree(child.pid!).reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return ''; // exited meanwhile
  }
}

/** CPU seconds (user + system) a live process has used, from /proc/<pid>/stat fields 14 and 15. */
function cpuSecondsOf(pid: number): number {
  const fields = readProc(pid, 'stat').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100; // USER_HZ is 100 on Linux
}

/** pid and all its descendants, from the parent pids in /proc/<pid>/stat (the cluster's HTTP workers). */
export function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = Number(readProc(Number(name), 'stat').split(') ')[1]?.split(' ')[1]);
    if (Number.isInteger(ppid)) parentOf.set(Number(name), ppid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** The empty SOAP server (bench/empty-soap-server.ts) in its own process, like the hub. */
export async function startEmptySoapServer(responseBytes: number): Promise<{ baseUrl: string; cpuSeconds(): number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/empty-soap-server.ts'), String(port), String(responseBytes)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`empty SOAP server exited with ${code}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
