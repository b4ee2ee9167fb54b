/**
 * The admin UI and API (issue #8), mounted at /admin by the composition root:
 *   /admin/login, /admin/, /admin/static/*   — the UI (strict CSP)
 *   /admin/api/*                              — the REST API (OpenAPI at /admin/api/openapi.json)
 * `requireLogin` protects other admin routers (the patient admin REST at /api/patients).
 */
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import type { HookRunner } from '../hooks/types.js';
import type { ConsentStore } from '../services/minspaerring/ports.js';
import type { MinLogStore } from '../services/minlog/ports.js';
import type { DocumentStore, JobQueue, MetadataStore, PatientStore } from '../storage/ports.js';
import type { ActivityLog } from './activity-log.js';
import { createAdminAuth } from './auth/admin-auth.js';
import type { LoginFailureStore, LoginGuardOptions } from './auth/login-guard.js';
import type { SessionStore, SessionStoreOptions } from './auth/sessions.js';
import type { AdminUser } from './auth/users.js';
import { loadCodeNames } from './api/code-names.js';
import { createConsistencyRunner, type ConsistencyRunner } from './api/consistency-check.js';
import type { ConsistencyJobStore } from './api/consistency-job-store.js';
import type { AdminApiDeps } from './api/deps.js';
import { documentRoutes } from './api/document-routes.js';
import { ApiError, apiErrorHandler } from './api/errors.js';
import { operationsRoutes } from './api/operations-routes.js';
import { patientRoutes } from './api/patient-routes.js';
import { adminOpenApi } from './openapi.js';
import { uiRoutes } from './ui/ui-routes.js';

/** Same-origin only, no inline script or style, no framing except the document preview frame. */
export const ADMIN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface AdminOptions {
  users: AdminUser[];
  metadata: MetadataStore;
  documents: DocumentStore;
  patients: Pick<PatientStore, 'list' | 'get'>;
  hooks: HookRunner;
  repositoryUniqueId: string;
  /** ihe-profiles directory and the affinity domain profile name, for code display names. */
  profilesDir: string;
  profile: string;
  queue?: Pick<JobQueue, 'counts'>;
  queueNames?: string[];
  activity?: ActivityLog;
  minlog?: Pick<MinLogStore, 'extract' | 'count'>;
  consents?: Pick<ConsentStore, 'listForCitizen'>;
  describe?: Record<string, string>;
  secureCookies?: boolean | 'auto';
  /** options of the in-memory session store; refused together with `sessionStore`. */
  sessions?: SessionStoreOptions;
  /** a shared session store (several hub processes: createSqliteSessionStore); default: in memory. */
  sessionStore?: SessionStore;
  guard?: LoginGuardOptions;
  /** shared login failure counters (several hub processes: createSqliteLoginFailureStore); default: in memory. */
  loginFailures?: LoginFailureStore;
  /** re-hash documents in the consistency check (default true). */
  verifyHashes?: boolean;
  /** where consistency-check jobs are kept for polling (several hub processes: createSqliteConsistencyJobStore); default: in memory. */
  consistencyJobs?: ConsistencyJobStore;
  log?: { info(msg: string, fields?: Record<string, unknown>): void; warn(msg: string, fields?: Record<string, unknown>): void; error(msg: string, fields?: Record<string, unknown>): void };
}

export interface Admin {
  /** mount at /admin */
  router: Router;
  /** the API login guard (401 JSON, CSRF on POST/PUT/DELETE): pass as `auth` to createPatientAdminRouter. */
  requireLogin: RequestHandler;
  consistency: ConsistencyRunner;
}

export function createAdmin(o: AdminOptions): Admin {
  if (o.users.length === 0) o.log?.warn('no admin users configured (XDS_ADMIN_USERS): the admin UI at /admin refuses every login');
  const auth = createAdminAuth({
    users: o.users,
    secureCookies: o.secureCookies,
    sessions: o.sessions,
    sessionStore: o.sessionStore,
    guard: o.guard,
    loginFailures: o.loginFailures,
    log: o.log,
  });
  const deps: AdminApiDeps = {
    metadata: o.metadata,
    documents: o.documents,
    patients: o.patients,
    queue: o.queue,
    queueNames: o.queueNames,
    hooks: o.hooks,
    codeNames: loadCodeNames(o.profilesDir, o.profile),
    repositoryUniqueId: o.repositoryUniqueId,
    activity: o.activity,
    minlog: o.minlog,
    consents: o.consents,
    describe: o.describe,
    log: o.log,
  };
  const consistency = createConsistencyRunner({
    metadata: o.metadata,
    documents: o.documents,
    repositoryUniqueId: o.repositoryUniqueId,
    verifyHashes: o.verifyHashes,
    jobs: o.consistencyJobs,
    log: o.log,
  });

  const api = express.Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(auth.routes);
  api.use(auth.requireApi);
  api.get('/openapi.json', (_req, res) => {
    res.json(adminOpenApi());
  });
  api.use(patientRoutes(deps));
  api.use(documentRoutes(deps));
  api.use(operationsRoutes(deps, consistency));
  api.use((req) => {
    throw new ApiError(404, 'NotFound', `no admin API route ${req.method} ${req.baseUrl}${req.path}`);
  });
  api.use(apiErrorHandler(o.log));

  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', ADMIN_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    next();
  });
  router.use('/api', api);
  router.use(uiRoutes(auth.requirePage));
  // Unknown admin pages and assets: a plain 404, never express's HTML error page with a stack.
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('not found');
  });
  router.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === undefined || status >= 500) o.log?.error('admin UI request failed', { error: err instanceof Error ? err.stack : String(err) });
    res.status(status && status < 500 ? status : 500).type('text/plain').send(status === 404 ? 'not found' : 'request failed');
  });
  return { router, requireLogin: auth.requireApi, consistency };
}

/** Default ihe-profiles location relative to the project root. */
export function defaultProfilesDir(projectRoot: string): string {
  return path.join(projectRoot, 'ihe-profiles');
}
