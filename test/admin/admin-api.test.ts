import { randomUUID } from 'node:crypto';
/**
 * Issue #8 admin REST API over HTTP (supertest): login (wrong password refused, lockout), nothing under
 * /admin/api without a session (401 JSON for every documented route), CSRF refusal on state-changing
 * calls, every route answering on real ITI-41 data, the read hooks on document content, and the OpenAPI
 * document covering exactly the routes the routers serve.
 */
import type { Router } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOpenApi } from '../../src/admin/openapi.js';
import type { HookRunner, ReadAccess, ReadRecord } from '../../src/hooks/types.js';
import { loadConfig } from '../../src/config/config.js';
import { ADMIN_PASSWORD, ADMIN_USER, createAdminTestHub, listen, patientId, submitDocuments, submitOne, type AdminTestHub, type Submitted } from './support.js';

let t: AdminTestHub;
let server: Awaited<ReturnType<typeof listen>>;
let submitted: Submitted;
const PID = patientId('0101801234');
const accesses: ReadAccess[] = [];
const records: ReadRecord[] = [];
let denyReads = false;
const logLines: string[] = [];

beforeAll(async () => {
  // The admin's read hooks wrap the hub's own runner, so the test sees every call and can force a denial.
  let inner: HookRunner | undefined;
  const spy: HookRunner = {
    async authorizeRead(access) {
      accesses.push(access);
      if (denyReads) return { outcome: 'deny', reason: 'negative consent (test)' };
      return inner!.authorizeRead(access);
    },
    async recordRead(record) {
      records.push(record);
      return inner!.recordRead(record);
    },
  };
  // built without the MinLog and consent stores, to show the views say so
  t = await createAdminTestHub({ hooks: spy, minlog: undefined, consents: undefined }, logLines);
  inner = t.hub.hooks;
  server = await listen(t.app);
  submitted = await submitDocuments(server.baseUrl, t.hub, PID);
});
afterAll(async () => {
  await server?.close();
  await t?.cleanup();
});

async function login(): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string; cookie: string }> {
  const agent = request.agent(t.app);
  const res = await agent.post('/admin/api/login').send({ username: ADMIN_USER, password: ADMIN_PASSWORD }).expect(200);
  const cookie = String(res.headers['set-cookie']);
  return { agent, csrf: res.body.csrfToken as string, cookie };
}

/** Every documented path with its parameters filled from the submitted data. */
function concretePaths(): { method: string; path: string }[] {
  const doc = adminOpenApi() as { paths: Record<string, Record<string, unknown>> };
  const out: { method: string; path: string }[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops)) {
      const path = p
        .replace('{patientId}', encodeURIComponent(PID))
        .replace('{entryUuid}', encodeURIComponent(p.startsWith('/folders') ? submitted.folderUuid : p.startsWith('/submission-sets') ? submitted.submissionSetUuid : submitted.original.entryUuid))
        .replace('{cpr}', '0101801234')
        .replace('{id}', 'no-such-job');
      out.push({ method, path: `/admin/api${path}` });
    }
  }
  return out;
}

describe('admin login', () => {
  it('refuses a wrong password and an unknown user with the same 401, sets no cookie', async () => {
    const wrong = await request(t.app).post('/admin/api/login').send({ username: ADMIN_USER, password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('InvalidCredentials');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const unknown = await request(t.app).post('/admin/api/login').send({ username: 'nobody', password: ADMIN_PASSWORD });
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('refuses a form-encoded login (login CSRF) and a malformed body', async () => {
    await request(t.app).post('/admin/api/login').type('form').send({ username: ADMIN_USER, password: ADMIN_PASSWORD }).expect(415);
    await request(t.app).post('/admin/api/login').send({ username: ADMIN_USER }).expect(400);
    await request(t.app).post('/admin/api/login').set('content-type', 'application/json').send('{not json').expect(400);
  });

  it('locks a user name after repeated failures, even for the right password', async () => {
    const name = 'victim';
    for (let i = 0; i < 5; i++) await request(t.app).post('/admin/api/login').send({ username: name, password: 'guess' + i }).expect(401);
    const locked = await request(t.app).post('/admin/api/login').send({ username: name, password: 'guess' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sets an HttpOnly SameSite=Strict cookie (Secure behind https) and logs out', async () => {
    const { agent, csrf, cookie } = await login();
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const session = await agent.get('/admin/api/session').expect(200);
    expect(session.body).toEqual({ user: ADMIN_USER, csrfToken: csrf });
    await agent.post('/admin/api/logout').expect(403);
    await agent.post('/admin/api/logout').set('x-csrf-token', csrf).expect(200);
    await agent.get('/admin/api/session').expect(401);
  });

  it('marks the cookie Secure when the request came over https through a trusted proxy (XDS_TRUST_PROXY)', async () => {
    // without trust, X-Forwarded-Proto is ignored: the cookie is not Secure on plain http
    const plain = await request(t.app).post('/admin/api/login').set('x-forwarded-proto', 'https').send({ username: ADMIN_USER, password: ADMIN_PASSWORD }).expect(200);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/; Secure/);
    const proxied = await createAdminTestHub({}, undefined, { trustProxy: loadConfig({ XDS_TRUST_PROXY: 'loopback' }).trustProxy });
    try {
      const res = await request(proxied.app).post('/admin/api/login').set('x-forwarded-proto', 'https').send({ username: ADMIN_USER, password: ADMIN_PASSWORD }).expect(200);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await proxied.cleanup();
    }
  });
});

describe('nothing without a session', () => {
  it('answers 401 JSON for every documented route except the login', async () => {
    const routes = concretePaths().filter((r) => !r.path.endsWith('/login'));
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) {
      const res = await (request(t.app) as unknown as Record<string, (p: string) => request.Test>)[r.method](r.path);
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expect(res.body.error, `${r.method} ${r.path}`).toBe('Unauthorized');
    }
    await request(t.app).get('/admin/api/no-such-route').expect(401);
  });

  it('answers unknown admin pages and assets with a plain 404', async () => {
    const res = await request(t.app).get('/admin/static/nope.js').expect(404);
    expect(res.text).toBe('not found');
    await request(t.app).get('/admin/elsewhere').expect(404);
  });

  it('rejects a made-up session cookie', async () => {
    await request(t.app).get('/admin/api/overview').set('cookie', 'xds_admin_session=forged').expect(401);
    await request(t.app).get('/admin/api/overview').set('cookie', 'xds_admin_session=%E0%A4%A').expect(401);
  });

  it('redirects the UI page to the login page; the login page itself is public', async () => {
    const res = await request(t.app).get('/admin/').expect(302);
    expect(res.headers.location).toBe('/admin/login');
    const page = await request(t.app).get('/admin/login').expect(200);
    expect(page.text).toContain('login-form');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('protects the patient admin REST (/api/patients) with the same login and CSRF token', async () => {
    await request(t.app).get('/api/patients').expect(401);
    const { agent, csrf } = await login();
    await agent.get('/api/patients').expect(200);
    await agent.post('/api/patients').send({ patientId: patientId('0202802345') }).expect(403);
    await agent.post('/api/patients').set('x-csrf-token', csrf).send({ patientId: patientId('0202802345') }).expect(201);
  });
});

describe('routes', () => {
  it('refuses a state-changing call without or with a wrong CSRF token', async () => {
    const { agent, csrf } = await login();
    const none = await agent.post('/admin/api/consistency-checks');
    expect(none.status).toBe(403);
    expect(none.body.error).toBe('CsrfTokenInvalid');
    await agent.post('/admin/api/consistency-checks').set('x-csrf-token', csrf.slice(0, -2) + 'xx').expect(403);
  });

  it('finds the patient by CPR prefix and lists the documents with filters and paging', async () => {
    const { agent } = await login();
    const found = await agent.get('/admin/api/patients?q=010180').expect(200);
    expect(found.body.patients.map((p: { patientId: string }) => p.patientId)).toEqual([PID]);
    expect(found.body.patients[0].cx).toMatchObject({ id: '0101801234', assigningAuthority: '1.2.208.176.1.2' });
    await agent.get('/admin/api/patients?q=999').expect(200).expect((r) => expect(r.body.patients).toEqual([]));
    await agent.get(`/admin/api/patients/${encodeURIComponent(PID)}`).expect(200);

    const base = `/admin/api/patients/${encodeURIComponent(PID)}/documents`;
    const all = await agent.get(base).expect(200);
    expect(all.body.total).toBe(2);
    const byUuid = Object.fromEntries(all.body.documents.map((d: { entryUuid: string; status: string }) => [d.entryUuid, d.status]));
    expect(byUuid).toEqual({ [submitted.original.entryUuid]: 'Deprecated', [submitted.replacement.entryUuid]: 'Approved' });
    const approved = await agent.get(`${base}?status=approved`).expect(200);
    expect(approved.body.documents.map((d: { entryUuid: string }) => d.entryUuid)).toEqual([submitted.replacement.entryUuid]);
    expect(approved.body.documents[0].classCode).toEqual({ code: '001', scheme: '1.2.208.184.100.9', display: 'Klinisk rapport', displaySource: 'metadata' });
    expect((await agent.get(`${base}?classCode=nope`).expect(200)).body.total).toBe(0);
    expect((await agent.get(`${base}?typeCode=11488-4&formatCode=urn:ihe:pcc:xphr:2007`).expect(200)).body.total).toBe(2);
    expect((await agent.get(`${base}?from=2024-12-24&to=2024-12-25`).expect(200)).body.total).toBe(2);
    expect((await agent.get(`${base}?from=2025-01-01`).expect(200)).body.total).toBe(0);
    const page = await agent.get(`${base}?limit=1&offset=1`).expect(200);
    expect(page.body.documents).toHaveLength(1);
    expect(page.body.total).toBe(2);
    await agent.get(`${base}?status=bogus`).expect(400);
    await agent.get(`${base}?from=yesterday`).expect(400);
    await agent.get(`${base}?limit=-1`).expect(400);
  });

  it('shows a DocumentEntry in readable form, its versions and its associations graph', async () => {
    const { agent } = await login();
    const id = encodeURIComponent(submitted.original.entryUuid);
    const d = (await agent.get(`/admin/api/documents/${id}`).expect(200)).body;
    expect(d.status).toBe('Deprecated');
    expect(d.patientId).toMatchObject({ id: '0101801234', assigningAuthority: '1.2.208.176.1.2' });
    expect(d.authors[0].person).toMatchObject({ familyName: 'Hansen', givenName: 'Hans', name: 'Dr. Hans Hansen' });
    expect(d.authors[0].institutions[0]).toMatchObject({ name: 'Demo Hospital', id: '1.2.208.176.1.1' });
    expect(d.authors[0].telecoms[0]).toMatchObject({ email: 'hans@example.org', equipment: 'Internet' });
    expect(d.sourcePatientInfo['PID-5']).toBe('Jensen^Karen^^^');
    expect(d.creationTime).toEqual({ value: '20241224101500', iso: '2024-12-24T10:15:00Z' });
    expect(d.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(d.storedSize).toBe(submitted.content.length);
    expect(d.preview).toBe('xml');

    const versions = (await agent.get(`/admin/api/documents/${id}/versions`).expect(200)).body;
    expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([1]);

    const g = (await agent.get(`/admin/api/documents/${id}/associations`).expect(200)).body;
    const kinds = Object.fromEntries(g.nodes.map((n: { id: string; kind: string }) => [n.id, n.kind]));
    expect(kinds[submitted.original.entryUuid]).toBe('DocumentEntry');
    expect(kinds[submitted.replacement.entryUuid]).toBe('DocumentEntry');
    expect(kinds[submitted.folderUuid]).toBe('Folder');
    expect(kinds[submitted.submissionSetUuid]).toBe('SubmissionSet');
    const edges = g.edges.map((e: { type: string; source: string; target: string }) => `${e.type} ${kinds[e.source]}→${kinds[e.target]}`).sort();
    expect(edges).toEqual(['HasMember Folder→DocumentEntry', 'HasMember SubmissionSet→DocumentEntry', 'RPLC DocumentEntry→DocumentEntry']);
    await agent.get('/admin/api/documents/urn:uuid:00000000-0000-0000-0000-000000000000').expect(404);
  });

  it('previews and downloads the document through the read hooks, under the admin identity', async () => {
    const { agent } = await login();
    accesses.length = 0;
    records.length = 0;
    const id = encodeURIComponent(submitted.original.entryUuid);
    const preview = (await agent.get(`/admin/api/documents/${id}/preview`).expect(200)).body;
    expect(preview).toMatchObject({ kind: 'xml', text: submitted.content.toString('utf8'), truncated: false });
    const dl = await agent.get(`/admin/api/documents/${id}/content`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(dl.status).toBe(200);
    expect(dl.body).toEqual(submitted.content);
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename=".+\.xml"$/);
    expect(dl.headers['content-security-policy']).toContain('sandbox');
    // inline is for PDFs only: an XML document is still an attachment
    const inline = await agent.get(`/admin/api/documents/${id}/content?disposition=inline`).expect(200);
    expect(inline.headers['content-disposition']).toMatch(/^attachment;/);
    expect(accesses).toHaveLength(3);
    expect(accesses[0].context.security).toMatchObject({ tokenType: 'none', subjectName: ADMIN_USER });
    expect(accesses[0].patientIds).toEqual([PID]);
    expect(records.map((r) => [r.outcome, r.documents.map((d) => d.uniqueId), r.context.transaction])).toEqual([
      ['success', [submitted.original.uniqueId], 'ADMIN-DOCUMENT-READ'],
      ['success', [submitted.original.uniqueId], 'ADMIN-DOCUMENT-READ'],
      ['success', [submitted.original.uniqueId], 'ADMIN-DOCUMENT-READ'],
    ]);
  });

  it("writes the hub's NSP audit record for the admin's document read, naming the admin user", async () => {
    const { agent } = await login();
    logLines.length = 0;
    await agent.get(`/admin/api/documents/${encodeURIComponent(submitted.original.entryUuid)}/content`).expect(200);
    const audits = logLines.map((l) => JSON.parse(l) as { msg: string; audit?: { operation: string; outcome: string; idCardAttributes: { actingUserName?: string } } }).filter((l) => l.msg === 'audit');
    expect(audits.map((a) => [a.audit?.operation, a.audit?.outcome, a.audit?.idCardAttributes.actingUserName])).toEqual([['ADMIN-DOCUMENT-READ', 'success', ADMIN_USER]]);
  });

  it('shows a PDF inline (framed by the admin page only) and points the preview at the content URL', async () => {
    const pid = patientId('0303803456');
    await t.hub.identity.register(pid, 'test');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const doc = await submitOne(server.baseUrl, pid, 'Scanned letter', 'application/pdf', pdf);
    const { agent } = await login();
    const id = encodeURIComponent(doc.entryUuid);
    expect((await agent.get(`/admin/api/documents/${id}`).expect(200)).body.preview).toBe('pdf');
    records.length = 0;
    expect((await agent.get(`/admin/api/documents/${id}/preview`).expect(200)).body).toEqual({ kind: 'pdf', mimeType: 'application/pdf', contentUrl: 'content?disposition=inline' });
    expect(records).toEqual([]); // no bytes read yet, nothing recorded
    const res = await agent.get(`/admin/api/documents/${id}/content?disposition=inline`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(pdf);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename=".+\.pdf"$/);
    expect(res.headers['content-security-policy']).toBe("frame-ancestors 'self'");
    expect(records.map((r) => r.outcome)).toEqual(['success']);
  });

  it('refuses content when the consent hooks deny, and records nothing', async () => {
    const { agent } = await login();
    records.length = 0;
    denyReads = true;
    try {
      const id = encodeURIComponent(submitted.replacement.entryUuid);
      const res = await agent.get(`/admin/api/documents/${id}/content`).expect(403);
      expect(res.body.error).toBe('ReadDenied');
      await agent.get(`/admin/api/documents/${id}/preview`).expect(403);
      expect(records).toEqual([]);
    } finally {
      denyReads = false;
    }
  });

  it('shows submission sets and folders with their contents', async () => {
    const { agent } = await login();
    const sets = (await agent.get(`/admin/api/patients/${encodeURIComponent(PID)}/submission-sets`).expect(200)).body.submissionSets;
    expect(sets.map((s: { title: string }) => s.title).sort()).toEqual(['Admission bundle', 'Correction']);
    const ss = (await agent.get(`/admin/api/submission-sets/${encodeURIComponent(submitted.submissionSetUuid)}`).expect(200)).body;
    expect(ss.documents.map((d: { entryUuid: string }) => d.entryUuid)).toEqual([submitted.original.entryUuid]);
    expect(ss.folders.map((f: { entryUuid: string }) => f.entryUuid)).toEqual([submitted.folderUuid]);
    expect(ss.associations).toHaveLength(1);
    const folders = (await agent.get(`/admin/api/patients/${encodeURIComponent(PID)}/folders`).expect(200)).body.folders;
    expect(folders.map((f: { title: string }) => f.title)).toEqual(['Admission 2024']);
    const f = (await agent.get(`/admin/api/folders/${encodeURIComponent(submitted.folderUuid)}`).expect(200)).body;
    // the registry put the replacement into the original's folder too (ITI TF-3 §4.2.2.2 RPLC and folders)
    expect(f.documents.map((d: { entryUuid: string }) => d.entryUuid).sort()).toEqual([submitted.original.entryUuid, submitted.replacement.entryUuid].sort());
    await agent.get(`/admin/api/folders/${encodeURIComponent(submitted.submissionSetUuid)}`).expect(404);
  });

  it('shows the overview, activity and errors by code; MinLog and consents say they are not wired', async () => {
    const { agent } = await login();
    // a failing ITI-41 (unknown patient) to have an error code
    const bad = await fetch(`${server.baseUrl}/xds/repository`, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: '<not-soap/>' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    // and an ITI-18 the registry answers with a RegistryError (ITI TF-2a §3.18.4.1.3: XDSUnknownStoredQuery)
    const unknownQuery =
      `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` +
      `<a:Action>urn:ihe:iti:2007:RegistryStoredQuery</a:Action><a:MessageID>urn:uuid:${randomUUID()}</a:MessageID></s:Header><s:Body>` +
      `<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">` +
      `<query:ResponseOption returnComposedObjects="true" returnType="ObjectRef"/><rim:AdhocQuery id="urn:uuid:00000000-0000-4000-8000-0000000000aa"/>` +
      `</query:AdhocQueryRequest></s:Body></s:Envelope>`;
    const q = await fetch(`${server.baseUrl}/xds/registry`, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: unknownQuery });
    expect(q.status).toBe(200);
    expect(await q.text()).toContain('XDSUnknownStoredQuery');
    const o = (await agent.get('/admin/api/overview').expect(200)).body;
    expect(o.counts.DocumentEntry).toBe(3); // the two of the main patient and the PDF
    expect(o.queues.map((q: { name: string }) => q.name)).toEqual(['minlog.registration', 'brs.followup']);
    expect(o.available).toMatchObject({ minlog: false, consents: false, activity: true });
    const tx = (await agent.get('/admin/api/activity/transactions').expect(200)).body.transactions;
    expect(tx.filter((x: { transaction: string }) => x.transaction === 'ITI-41').length).toBeGreaterThanOrEqual(2);
    // newest first: the ITI-18 with its RegistryError, then the fault
    expect(tx[0]).toMatchObject({ transaction: 'ITI-18', outcome: 'Failure', path: '/xds/registry', errorCodes: ['XDSUnknownStoredQuery'] });
    expect(tx[1]).toMatchObject({ outcome: 'Fault', path: '/xds/repository' });
    const errors = (await agent.get('/admin/api/activity/errors').expect(200)).body.errors;
    expect(errors.some((e: { code: string; count: number }) => e.code.startsWith('SOAP:') && e.count >= 1)).toBe(true);
    expect(errors.find((e: { code: string }) => e.code === 'XDSUnknownStoredQuery')).toMatchObject({ count: 1, lastTransaction: 'ITI-18' });
    expect((await agent.get('/admin/api/citizens/0101801234/minlog').expect(404)).body.error).toBe('NotAvailable');
    expect((await agent.get('/admin/api/citizens/0101801234/consents').expect(404)).body.error).toBe('NotAvailable');
    await agent.get('/admin/api/citizens/12/minlog').expect(400);
  });

  it('runs the consistency check as a job with progress and finds missing bytes, mismatches and orphans', async () => {
    const { agent, csrf } = await login();
    const clean = await agent.post('/admin/api/consistency-checks').set('x-csrf-token', csrf).expect(202);
    expect(clean.headers.location).toBe(`/admin/api/consistency-checks/${clean.body.id}`);
    await t.admin.consistency.wait(clean.body.id);
    const ok = (await agent.get(`/admin/api/consistency-checks/${clean.body.id}`).expect(200)).body;
    expect(ok).toMatchObject({ state: 'done', summary: { entries: 3, storedObjects: 3, missingBytes: 0, hashMismatch: 0, sizeMismatch: 0, orphanBytes: 0 } });
    expect(ok.progress.done).toBe(ok.progress.total);

    const docs = t.hub.backends.documents;
    await docs.delete(submitted.replacement.uniqueId);
    await docs.delete(submitted.original.uniqueId);
    // same size, other bytes: only the hash can tell
    const tampered = Buffer.from(submitted.content);
    tampered[tampered.length - 2] ^= 1;
    await docs.put(submitted.original.uniqueId, tampered);
    await docs.put('1.2.3.4.5.orphan', Buffer.from('no entry for me'));
    const run = await agent.post('/admin/api/consistency-checks').set('x-csrf-token', csrf).expect(202);
    const done = await t.admin.consistency.wait(run.body.id);
    const job = (await agent.get(`/admin/api/consistency-checks/${done!.id}`).expect(200)).body;
    expect(job.summary).toMatchObject({ missingBytes: 1, hashMismatch: 1, sizeMismatch: 0, orphanBytes: 1 });
    expect(job.findings.map((f: { kind: string; uniqueId: string }) => `${f.kind} ${f.uniqueId}`).sort()).toEqual(
      [`hashMismatch ${submitted.original.uniqueId}`, `missingBytes ${submitted.replacement.uniqueId}`, 'orphanBytes 1.2.3.4.5.orphan'].sort(),
    );
    const list = (await agent.get('/admin/api/consistency-checks').expect(200)).body.jobs;
    expect(list.map((j: { id: string }) => j.id).slice(0, 2)).toEqual([run.body.id, clean.body.id]);
    await agent.get('/admin/api/consistency-checks/nope').expect(404);
    // restore for the other tests
    await docs.delete('1.2.3.4.5.orphan');
    await docs.put(submitted.original.uniqueId, submitted.content);
    await docs.put(submitted.replacement.uniqueId, submitted.replacementContent);
  });

  it('answers every documented GET route once logged in (no 5xx, JSON errors only)', async () => {
    const { agent } = await login();
    for (const r of concretePaths().filter((x) => x.method === 'get')) {
      const res = await agent.get(r.path);
      expect(res.status, r.path).toBeLessThan(500);
      if (res.status >= 400) expect(res.body.error, r.path).toEqual(expect.any(String));
    }
  });
});

describe('OpenAPI document', () => {
  function routesOf(router: Router): string[] {
    const out: string[] = [];
    const walk = (stack: unknown[]) => {
      for (const layer of stack as { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) {
        if (layer.route) {
          for (const p of ([] as string[]).concat(layer.route.path)) for (const m of Object.keys(layer.route.methods)) out.push(`${m} ${p.replace(/:(\w+)/g, '{$1}')}`);
        } else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((router as unknown as { stack: unknown[] }).stack);
    return out;
  }

  it('is OpenAPI 3.1 and documents exactly the routes the admin API serves', async () => {
    const doc = adminOpenApi() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} /admin/api${p}`)).sort();
    const served = routesOf(t.admin.router)
      .filter((r) => !/^(get|head) (\/|\/login|\/index\.html)$/.test(r))
      .map((r) => r.replace(' /', ' /admin/api/'))
      .sort();
    expect(served).toEqual(documented);
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops as Record<string, { responses?: object; summary?: string }>)) {
        expect(op.summary, `${m} ${p}`).toBeTruthy();
        expect(Object.keys(op.responses ?? {}).length, `${m} ${p}`).toBeGreaterThan(1);
      }
    }
    const { agent } = await login();
    expect((await agent.get('/admin/api/openapi.json').expect(200)).body).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
