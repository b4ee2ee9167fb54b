import { describe, expect, it } from 'vitest';
import { callerName } from '../../../src/security/caller-name.js';
import { anonymousContext } from '../../../src/security/context.js';

describe('callerName', () => {
  it('names a tokenless caller anonymous', () => {
    expect(callerName(anonymousContext())).toBe('anonymous');
  });

  it('prefers the HSUID acting user and organisation names over identifiers', () => {
    expect(
      callerName({
        tokenType: 'dgws-system',
        authLevel: 3,
        systemName: 'EPJ',
        careProvider: { type: 'cvr', id: '30808460' },
        hsuid: { actingUserName: 'Karen Jensen', actingUserCpr: '0101801234', orgUsingName: 'Afdeling X' },
      }),
    ).toBe('Karen Jensen (Afdeling X)');
  });

  it('falls back to the card subject and care provider', () => {
    expect(callerName({ tokenType: 'dgws-user', authLevel: 4, subjectName: 'Hans Hansen', careProvider: { type: 'cvr', id: '20921897', name: 'Test Hospital' } })).toBe(
      'Hans Hansen (Test Hospital)',
    );
  });
});
