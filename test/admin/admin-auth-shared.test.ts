/**
 * The admin login of two hub processes sharing one data directory (node cluster), over HTTP (supertest):
 * two admin logins, each with its own connection to one SQLite file, act as one — a session made on one
 * is valid (and its CSRF token checked) on the other, logout ends it on both, and failed logins spread over
 * both lock the name out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminAuth, CSRF_HEADER, type AdminAuthOptions } from '../../src/admin/auth/admin-auth.js';
import { hashPassword } from '../../src/admin/auth/password.js';
import { createSessionStore } from '../../src/admin/auth/sessions.js';
import { createSqliteLoginFailureStore } from '../../src/storage/sqlite/admin-login-guard-store.js';
import { createSqliteSessionStore } from '../../src/storage/sqlite/admin-session-store.js';
import { openWalDatabase } from '../../src/storage/sqlite/wal-database.js';

const USER = 'operator';
const PASSWORD = 'correct horse battery staple';

describe('admin login shared by two hub processes', () => {
  let dir: string;
  let dbs: Database.Database[];
  let users: AdminAuthOptions['users'];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-admin-shared-'));
    dbs = [];
    users = [{ name: USER, passwordHash: await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 }) }];
  });
  afterEach(() => {
    for (const db of dbs) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** one worker: its own connection to the shared file, the admin login, and one protected route. */
  const worker = () => {
    const db = openWalDatabase(path.join(dir, 'cluster-state.db'));
    dbs.push(db);
    const auth = createAdminAuth({
      users,
      secureCookies: false,
      sessionStore: createSqliteSessionStore(db),
      guard: { maxFailures: 3, failureDelayMs: 0 },
      loginFailures: createSqliteLoginFailureStore(db),
    });
    const app = express();
    app.use('/admin/api', auth.routes);
    app.post('/admin/api/thing', auth.requireApi, (req, res) => {
      res.json({ user: req.adminSession!.user });
    });
    return app;
  };

  it('a login on one worker is a session on the other, CSRF included; logout on either ends it', async () => {
    const a = worker();
    const b = worker();
    const login = await request(a).post('/admin/api/login').send({ username: USER, password: PASSWORD }).expect(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const csrf = login.body.csrfToken as string;
    expect((await request(b).get('/admin/api/session').set('Cookie', cookie).expect(200)).body).toEqual({ user: USER, csrfToken: csrf });
    await request(b).post('/admin/api/thing').set('Cookie', cookie).expect(403);
    expect((await request(b).post('/admin/api/thing').set('Cookie', cookie).set(CSRF_HEADER, csrf).expect(200)).body).toEqual({ user: USER });
    await request(b).post('/admin/api/logout').set('Cookie', cookie).set(CSRF_HEADER, csrf).expect(200);
    await request(a).get('/admin/api/session').set('Cookie', cookie).expect(401);
  });

  it('failed logins on both workers add up to the lockout', async () => {
    const a = worker();
    const b = worker();
    const attempt = (app: express.Express, password: string) => request(app).post('/admin/api/login').send({ username: USER, password });
    await attempt(a, 'wrong-password-1').expect(401);
    await attempt(b, 'wrong-password-2').expect(401);
    await attempt(a, 'wrong-password-3').expect(401);
    const locked = await attempt(b, PASSWORD).expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    await attempt(a, PASSWORD).expect(429);
  });

  it('refuses options for the in-memory store next to a store built elsewhere', () => {
    expect(() => createAdminAuth({ users, sessions: { idleMs: 1000 }, sessionStore: createSessionStore() })).toThrow(/either sessions .* or sessionStore/);
  });
});
