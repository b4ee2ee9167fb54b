/**
 * The admin UI: a small vanilla-JS single page (no build step, no CDN — the hub may run without
 * internet) served from ui/static. The login page and the static assets are public (they hold no data);
 * the app page needs a session and otherwise redirects to the login page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';

/** ui/static next to this file (tsx), or the source tree when running from a build output without assets. */
export function staticDir(): string {
  const here = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');
  if (fs.existsSync(here)) return here;
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../src/admin/ui/static');
}

export function uiRoutes(requirePage: RequestHandler): Router {
  const dir = staticDir();
  const r = express.Router();
  const page = (file: string) => (_req: express.Request, res: express.Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(path.join(dir, file));
  };
  r.get('/login', page('login.html'));
  r.use('/static', express.static(dir, { index: false, fallthrough: false, maxAge: 0 }));
  r.get(['/', '/index.html'], requirePage, page('index.html'));
  return r;
}
