/** A RegistryService over an in-memory SQLite store, a set of known patients and a fixed clock. */
import path from 'node:path';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import { anonymousContext } from '../../../src/security/context.js';
import { XdsError } from '../../../src/xds/errors.js';
import { RegistryService, type RegisterResult } from '../../../src/xds/registry/register-service.js';
import type { RequestContext } from '../../../src/xds/transactions/descriptor.js';
import { loadProfile, type ValidationProfile } from '../../../src/xds/validate/profile.js';
import { parseXml } from '../../../src/xml/parse.js';
import { DEFAULT_PATIENT } from '../ebrim/builders.js';

export const OTHER_PATIENT = 'P2^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO';

export interface Harness {
  stores: SqliteStores;
  registry: RegistryService;
  known: Set<string>;
  now: { value: Date };
  register(xml: string, transaction?: 'ITI-41' | 'ITI-42'): Promise<RegisterResult>;
  /** the XDS error codes of a failing registration (throws when it succeeds). */
  failCodes(xml: string, transaction?: 'ITI-41' | 'ITI-42'): Promise<string[]>;
  close(): Promise<void>;
}

export function context(): RequestContext {
  return { requestId: 'test', receivedAt: new Date(), security: anonymousContext(), transaction: 'ITI-42' };
}

export function createHarness(profile: ValidationProfile = loadProfile(path.resolve('ihe-profiles'), 'xds-generic')): Harness {
  const stores = openSqliteStores(':memory:');
  const known = new Set([DEFAULT_PATIENT, OTHER_PATIENT]);
  const now = { value: new Date(Date.UTC(2026, 10, 28, 9, 0, 0)) };
  const registry = new RegistryService({
    store: stores.metadata,
    patients: { isKnown: async (p) => known.has(p) },
    profile,
    clock: () => now.value,
  });
  const register = (xml: string, transaction: 'ITI-41' | 'ITI-42' = 'ITI-42') => registry.register(parseXml(xml), context(), { transaction });
  return {
    stores,
    registry,
    known,
    now,
    register,
    async failCodes(xml, transaction) {
      try {
        await register(xml, transaction);
      } catch (e) {
        if (e instanceof XdsError) return e.errors.filter((x) => x.severity.endsWith('Error')).map((x) => x.errorCode);
        throw e;
      }
      throw new Error('registration unexpectedly succeeded');
    },
    close: () => stores.close(),
  };
}
