/**
 * Whether a process of this machine is still there. The processes of a cluster (src/cluster/) share one
 * machine and one data directory; what a dead one left behind (a running consistency-check job, an upload's
 * temporary files) is recognised by its process id.
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
