import { beforeAll, describe, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { defaultPolicies } from '../../src/security/index.js';
import { dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, systemCard, userCard } from './support.js';

describe('authentication level too low', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });
  const policies = {
    ...defaultPolicies(),
    'person-only': { id: 'person-only', accept: ['dgws-user', 'dgws-system'] as const, requirePerson: true } as never,
    'level-4': { id: 'level-4', accept: ['dgws-system', 'dgws-user'], minLevel: { system: 4, user: 4 } } as never,
  };

  it('accepts a level 3 system card where 3 is required', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(systemCard(ca), { medcom: { securityLevel: 3 } })), 'xds-write'));
  });

  it('rejects a level 3 system card where a person (user card) is required', async () => {
    const stack = makeStack(ca, { policies });
    await expectFault(stack.authenticate(request(dgwsXml(systemCard(ca), { medcom: { securityLevel: 3 } })), 'person-only'), 'security_level_failed');
  });

  it('accepts a level 4 user card where a person is required', async () => {
    await expectAccepted(makeStack(ca, { policies }).authenticate(request(dgwsXml(userCard(ca))), 'person-only'));
  });

  it('rejects a level 3 user card where 4 is required', async () => {
    const card = userCard(ca, { level: 3 });
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card, { medcom: { securityLevel: 3 } })), 'xds-read'), 'security_level_failed');
  });

  it('rejects a system card below a policy minimum of 4', async () => {
    await expectFault(makeStack(ca, { policies }).authenticate(request(dgwsXml(systemCard(ca), { medcom: { securityLevel: 3 } })), 'level-4'), 'security_level_failed');
  });

  it('rejects a medcom:SecurityLevel above the card level', async () => {
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(systemCard(ca), { medcom: { securityLevel: 4 } })), 'xds-write'), 'security_level_failed');
  });
});
