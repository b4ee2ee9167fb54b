/**
 * The admin login (issue #8): session cookie (HttpOnly, SameSite=Strict, Secure behind https or when
 * configured), a synchronizer CSRF token required on every state-changing request, per-user lockout, and
 * two guards — `api` answers 401 JSON, `page` redirects to the login page. Nothing under /admin/api except
 * the login call itself is reachable without a session.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { hashPassword, verifyPassword } from './password.js';
import { createLoginGuard, type LoginFailureStore, type LoginGuard, type LoginGuardOptions } from './login-guard.js';
import { createSessionStore, csrfMatches, type AdminSession, type SessionStore, type SessionStoreOptions } from './sessions.js';
import type { AdminUser } from './users.js';

export const SESSION_COOKIE = 'xds_admin_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AdminAuthOptions {
  users: AdminUser[];
  /** Secure cookie flag: true, false, or 'auto' (= when the request came over https, `req.secure`). */
  secureCookies?: boolean | 'auto';
  /** options of the in-memory session store; refused together with `sessionStore`. */
  sessions?: SessionStoreOptions;
  /** a session store built by the caller (shared by several hub processes); default: in memory from `sessions`. */
  sessionStore?: SessionStore;
  /** lockout policy and failure delay. */
  guard?: LoginGuardOptions;
  /** where the failure counters live (shared by several hub processes); default: in memory. */
  loginFailures?: LoginFailureStore;
  log?: { info(msg: string, fields?: Record<string, unknown>): void; warn(msg: string, fields?: Record<string, unknown>): void };
}

export interface AdminAuth {
  /** POST /login, POST /logout, GET /session — mount under /admin/api. */
  routes: Router;
  /** 401 JSON without a session; 403 without the CSRF token on a state-changing method. */
  requireApi: RequestHandler;
  /** redirects to /admin/login without a session (for the UI pages). */
  requirePage: RequestHandler;
  sessions: SessionStore;
}

declare module 'express-serve-static-core' {
  interface Request {
    adminSession?: AdminSession;
  }
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined; // a malformed %-escape is no session, not a server error
      }
    }
  }
  return undefined;
}

export function createAdminAuth(options: AdminAuthOptions): AdminAuth {
  if (options.sessionStore && options.sessions) {
    throw new TypeError('createAdminAuth: give either sessions (options of the in-memory store) or sessionStore (built with its own options), not both');
  }
  const sessions = options.sessionStore ?? createSessionStore(options.sessions);
  const guard: LoginGuard = createLoginGuard(options.guard, options.loginFailures);
  const users = new Map(options.users.map((u) => [u.name, u]));
  // An unknown user name still costs one scrypt run, so response time does not reveal which names exist.
  const dummyHash = hashPassword('not-a-real-password-0');
  const secure = (req: Request) => (options.secureCookies === 'auto' || options.secureCookies === undefined ? req.secure : options.secureCookies);

  const setCookie = (req: Request, res: Response, value: string, maxAgeSeconds: number) => {
    const attrs = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
    if (secure(req)) attrs.push('Secure');
    res.setHeader('Set-Cookie', attrs.join('; '));
  };

  const session = (req: Request) => sessions.get(readCookie(req, SESSION_COOKIE));

  const requireApi: RequestHandler = (req, res, next) => {
    const s = session(req);
    if (!s) {
      res.status(401).json({ error: 'Unauthorized', message: 'log in at /admin/login first' });
      return;
    }
    if (!SAFE_METHODS.has(req.method) && !csrfMatches(s.csrfToken, req.headers[CSRF_HEADER])) {
      res.status(403).json({ error: 'CsrfTokenInvalid', message: `a state-changing request needs the session's ${CSRF_HEADER} header` });
      return;
    }
    req.adminSession = s;
    next();
  };

  const requirePage: RequestHandler = (req, res, next) => {
    const s = session(req);
    if (!s) {
      res.redirect(302, '/admin/login');
      return;
    }
    req.adminSession = s;
    next();
  };

  const routes = express.Router();
  routes.post('/login', express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    // JSON only: a cross-site HTML form cannot send application/json, which closes login CSRF.
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'UnsupportedMediaType', message: 'send {"username","password"} as application/json' });
      return;
    }
    const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string' || username.length > 64 || password.length > 1024) {
      res.status(400).json({ error: 'InvalidBody', message: 'username and password are required strings' });
      return;
    }
    const wait = guard.lockedFor(username);
    if (wait > 0) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      res.status(429).json({ error: 'TooManyAttempts', message: 'too many failed logins for this user; try again later' });
      return;
    }
    const user = users.get(username);
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await dummyHash), false);
    if (!ok) {
      await guard.failed(username);
      options.log?.warn('admin login refused', { user: username, remoteAddress: req.socket.remoteAddress });
      res.status(401).json({ error: 'InvalidCredentials', message: 'wrong user name or password' });
      return;
    }
    guard.succeeded(username);
    const old = session(req);
    if (old) sessions.destroy(old.id); // a fresh id at every login (no session fixation)
    const s = sessions.create(username, user?.cpr);
    setCookie(req, res, s.id, 8 * 3600);
    options.log?.info('admin login', { user: username, remoteAddress: req.socket.remoteAddress });
    res.json({ user: s.user, csrfToken: s.csrfToken });
  });
  routes.post('/logout', requireApi, (req: Request, res: Response) => {
    sessions.destroy(req.adminSession!.id);
    setCookie(req, res, '', 0);
    res.json({ loggedOut: true });
  });
  routes.get('/session', requireApi, (req: Request, res: Response) => {
    res.json({ user: req.adminSession!.user, csrfToken: req.adminSession!.csrfToken });
  });
  routes.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'InvalidJson', message: 'the request body is not valid JSON' });
      return;
    }
    next(err);
  });
  return { routes, requireApi, requirePage, sessions };
}
