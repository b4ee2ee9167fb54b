/**
 * The admin's citizen views on the hub's own MinLog and consent (Min Spærring) stores (hub.read), and the
 * queue depths from the hub's job queue.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_USER, createAdminTestHub, type AdminTestHub } from './support.js';

let t: AdminTestHub;
const CPR = '0101801234';

beforeAll(async () => {
  t = await createAdminTestHub();
  await t.hub.read.minlogStore.add([
    {
      key: 'k1',
      registration: {
        systemName: 'xds-hub',
        activity: 'Opslag i dokumenter (DDS)',
        addition: 'Ingen',
        dateTime: '2026-11-01T10:00:00Z',
        citizen: { id: CPR, source: 'CPR' },
        user: { id: '0202802345', source: 'CPR', name: 'Læge Hansen' },
        organisation: { id: '123456789012345', source: 'SOR', name: 'Demo Hospital' },
      },
    },
  ]);
  await t.hub.read.consentStore.insert({ id: 'c1', citizenCpr: CPR, consentType: 'negative', who: { kind: 'organisation', sorId: '123456789012345' }, validFrom: '2026-01-01T00:00:00Z', creationTimestamp: '2026-01-01T00:00:00Z' });
  await t.hub.backends.queue.enqueue('minlog.registration', { n: 1 }, { key: 'one' });
});
afterAll(async () => {
  await t?.cleanup();
});

describe('citizen views on the real stores', () => {
  it('shows the MinLog registrations, the consents and the queue depths of a citizen', async () => {
    const agent = request.agent(t.app);
    await agent.post('/admin/api/login').send({ username: ADMIN_USER, password: ADMIN_PASSWORD }).expect(200);
    const m = (await agent.get(`/admin/api/citizens/${CPR}/minlog`).expect(200)).body;
    expect(m.registrations).toHaveLength(1);
    expect(m.registrations[0]).toMatchObject({ activity: 'Opslag i dokumenter (DDS)', user: { name: 'Læge Hansen' }, key: 'k1' });
    expect((await agent.get('/admin/api/citizens/0101809999/minlog').expect(200)).body.registrations).toEqual([]);
    const c = (await agent.get(`/admin/api/citizens/${CPR.slice(0, 6)}-${CPR.slice(6)}/consents`).expect(200)).body;
    expect(c.consents.map((x: { id: string; consentType: string }) => [x.id, x.consentType])).toEqual([['c1', 'negative']]);
    const o = (await agent.get('/admin/api/overview').expect(200)).body;
    expect(o.available).toMatchObject({ minlog: true, consents: true, queues: true });
    expect(o.minlogRegistrations).toBe(1);
    const q = o.queues.find((x: { name: string }) => x.name === 'minlog.registration');
    expect(q.waiting + q.active + q.completed + q.failed).toBe(1);
  });
});
