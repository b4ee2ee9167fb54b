import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPatientAdminRouter } from '../../../src/patients/admin-routes.js';
import { PatientIdentityService } from '../../../src/patients/patient-identity.js';
import { MemoryPatientStore } from './memory-patient-store.js';

const DOMAIN = '1.3.6.1.4.1.21367.2005.13.20.1000';
const P1 = `P1^^^&${DOMAIN}&ISO`;

function app(options: { auth?: RequestHandler; patients?: MemoryPatientStore } = {}) {
  const patients = options.patients ?? new MemoryPatientStore();
  const identity = new PatientIdentityService({ patients, clock: () => new Date('2026-01-01T00:00:00Z') });
  const a = express();
  a.use('/api/patients', createPatientAdminRouter({ identity, auth: options.auth, logger: { error: () => {} } }));
  return { app: a, patients, identity };
}

function expectJsonError(res: request.Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.body.error).toBe(error);
  expect(typeof res.body.message).toBe('string');
  expect(res.text).not.toMatch(/<html|at .*\.ts:\d+/i);
}

describe('patient admin REST', () => {
  it('POST registers a patient (201), then updates it (200); the registry knows it', async () => {
    const { app: a, identity } = app();
    const created = await request(a).post('/api/patients').send({ patientId: P1, demographics: { familyName: 'Hansen' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ patientId: P1, source: 'admin', updatedAt: '2026-01-01T00:00:00.000Z', demographics: { familyName: 'Hansen' }, active: true });
    expect(await identity.isKnown(P1)).toBe(true);
    const updated = await request(a).post('/api/patients').send({ patientId: P1, demographics: { familyName: 'Jensen' } });
    expect(updated.status).toBe(200);
    expect(updated.body.demographics).toEqual({ familyName: 'Jensen' });
  });

  it('POST rejects an invalid CX with the problems listed, storing nothing', async () => {
    const { app: a, patients } = app();
    const res = await request(a).post('/api/patients').send({ patientId: 'P1^^^&1.2.3&DNS' });
    expectJsonError(res, 400, 'InvalidPatientId');
    expect(res.body.problems.join(' ')).toMatch(/ISO/);
    expect(patients.records.size).toBe(0);
  });

  it.each([
    ['no patientId', { demographics: {} }, 'InvalidPatientId'],
    ['a numeric patientId', { patientId: 7 }, 'InvalidPatientId'],
    ['demographics not an object', { patientId: P1, demographics: 'x' }, 'InvalidDemographics'],
    ['a non-string demographic', { patientId: P1, demographics: { age: 4 } }, 'InvalidDemographics'],
    ['an array body', [P1], 'InvalidBody'],
  ])('POST with %s is 400', async (_label, body, error) => {
    const { app: a, patients } = app();
    expectJsonError(await request(a).post('/api/patients').send(body as object), 400, error);
    expect(patients.records.size).toBe(0);
  });

  it('POST with malformed JSON is a JSON 400, not an HTML page', async () => {
    const { app: a } = app();
    const res = await request(a).post('/api/patients').set('content-type', 'application/json').send('{"patientId": ');
    expectJsonError(res, 400, 'InvalidJson');
  });

  it('POST with a non-JSON content type is 415', async () => {
    const { app: a } = app();
    const res = await request(a).post('/api/patients').set('content-type', 'text/plain').send(P1);
    expectJsonError(res, 415, 'UnsupportedMediaType');
  });

  it('POST with an oversized body is 413', async () => {
    const { app: a } = app();
    const res = await request(a).post('/api/patients').send({ patientId: P1, demographics: { x: 'y'.repeat(70_000) } });
    expectJsonError(res, 413, 'PayloadTooLarge');
  });

  it('GET one returns the record, 404 when unknown; merged patients show active=false', async () => {
    const { app: a, identity } = app();
    await identity.register(P1, 'iti8');
    const res = await request(a).get(`/api/patients/${encodeURIComponent(P1)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ patientId: P1, source: 'iti8', active: true });
    expectJsonError(await request(a).get(`/api/patients/${encodeURIComponent(`NOPE^^^&${DOMAIN}&ISO`)}`), 404, 'NotFound');
    await identity.merge(P1, `P2^^^&${DOMAIN}&ISO`, 'iti8');
    const merged = await request(a).get(`/api/patients/${encodeURIComponent(P1)}`);
    expect(merged.body).toMatchObject({ active: false, mergedInto: `P2^^^&${DOMAIN}&ISO` });
  });

  it('GET list pages with prefix, limit and offset', async () => {
    const { app: a, identity } = app();
    for (const id of ['A1', 'A2', 'A3', 'B1']) await identity.register(`${id}^^^&${DOMAIN}&ISO`, 'admin');
    const all = await request(a).get('/api/patients');
    expect(all.status).toBe(200);
    expect(all.body.patients.map((p: { patientId: string }) => p.patientId.split('^')[0])).toEqual(['A1', 'A2', 'A3', 'B1']);
    expect([all.body.limit, all.body.offset]).toEqual([100, 0]);
    const page = await request(a).get('/api/patients').query({ prefix: 'A', limit: '2', offset: '1' });
    expect(page.body.patients.map((p: { patientId: string }) => p.patientId.split('^')[0])).toEqual(['A2', 'A3']);
  });

  it.each([
    ['limit=-1', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=5000', 'limit'],
    ['offset=1.5', 'offset'],
    ['prefix=a&prefix=b', 'prefix'],
  ])('GET list with %s is 400 naming the parameter', async (query, name) => {
    const { app: a } = app();
    const res = await request(a).get(`/api/patients?${query}`);
    expectJsonError(res, 400, 'InvalidParameter');
    expect(res.body.message).toContain(name);
  });

  it('an unknown route under the router is a JSON 404', async () => {
    const { app: a } = app();
    expectJsonError(await request(a).delete(`/api/patients/${encodeURIComponent(P1)}`), 404, 'NotFound');
  });

  it('a store failure is a JSON 500 without internal details', async () => {
    const patients = new MemoryPatientStore();
    patients.failNext = new Error('SQLITE_FULL /var/secret/registry.db');
    const { app: a } = app({ patients });
    const res = await request(a).post('/api/patients').send({ patientId: P1 });
    expectJsonError(res, 500, 'InternalError');
    expect(res.text).not.toContain('secret');
  });

  it('runs the auth middleware before every route', async () => {
    const deny: RequestHandler = (_req, res) => void res.status(401).json({ error: 'Unauthorized', message: 'login required' });
    const { app: a, patients } = app({ auth: deny });
    expectJsonError(await request(a).post('/api/patients').send({ patientId: P1 }), 401, 'Unauthorized');
    expectJsonError(await request(a).get('/api/patients'), 401, 'Unauthorized');
    expect(patients.records.size).toBe(0);
  });
});
