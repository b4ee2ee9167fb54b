/**
 * The state the processes of a cluster must share (src/cluster/primary.ts), in one SQLite file of the data
 * directory, cluster-state.db: the MessageIDs seen (replay detection, dk-nsp.md §1.4) and the admin UI's
 * sessions, login-failure counters, activity view and consistency-check jobs. A one-process hub keeps all of
 * them in memory instead and opens no such file.
 */
import path from 'node:path';
import type { ActivityStore } from '../admin/activity-log.js';
import type { AdminOptions } from '../admin/admin-router.js';
import type { ReplayStore } from '../security/replay-store.js';
import { createSqliteActivityStore } from '../storage/sqlite/activity-log-store.js';
import { createSqliteLoginFailureStore } from '../storage/sqlite/admin-login-guard-store.js';
import { createSqliteSessionStore } from '../storage/sqlite/admin-session-store.js';
import { createSqliteConsistencyJobStore } from '../storage/sqlite/consistency-job-store.js';
import { createSqliteReplayStore } from '../storage/sqlite/replay-store.js';
import { openWalDatabase } from '../storage/sqlite/wal-database.js';

export interface ClusterState {
  /** the SQLite file (for the WAL checkpointer). */
  file: string;
  replay: ReplayStore;
  activity: ActivityStore;
  /** the createAdmin options that make the admin UI one across the processes. */
  admin(options: { sessionIdleMs: number }): Pick<AdminOptions, 'sessionStore' | 'loginFailures' | 'consistencyJobs'>;
  /** writes the activity entries still buffered, then closes the file. */
  close(): void;
}

export function openClusterState(dataDir: string, options: { onActivityError: (err: unknown) => void }): ClusterState {
  const file = path.join(dataDir, 'cluster-state.db');
  const db = openWalDatabase(file);
  const activity = createSqliteActivityStore(db, { onError: options.onActivityError });
  return {
    file,
    replay: createSqliteReplayStore(db, { clock: Date.now }),
    activity,
    admin: ({ sessionIdleMs }) => ({
      sessionStore: createSqliteSessionStore(db, { idleMs: sessionIdleMs }),
      loginFailures: createSqliteLoginFailureStore(db),
      consistencyJobs: createSqliteConsistencyJobStore(db),
    }),
    close() {
      activity.flush();
      db.close();
    },
  };
}
