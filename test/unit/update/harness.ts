/** ITI-57 unit-test helpers: a registry harness plus a MetadataUpdateService over the same store. */
import path from 'node:path';
import type { MetadataStore } from '../../../src/storage/ports.js';
import { XdsError } from '../../../src/xds/errors.js';
import { MetadataUpdateService, type UpdateResult } from '../../../src/xds/update/update-service.js';
import { loadProfile } from '../../../src/xds/validate/profile.js';
import { parseXml } from '../../../src/xml/parse.js';
import { context, createHarness, type Harness } from '../registry/harness.js';

export interface UpdateHarness extends Harness {
  updater(store?: MetadataStore): MetadataUpdateService;
  update(xml: string, service?: MetadataUpdateService): Promise<UpdateResult>;
  /** the XDS error codes of a failing update (throws when it succeeds). */
  updateFails(xml: string): Promise<string[]>;
}

export function createUpdateHarness(): UpdateHarness {
  const h = createHarness();
  const profile = loadProfile(path.resolve('ihe-profiles'), 'xds-generic');
  const updater = (store: MetadataStore = h.stores.metadata) =>
    new MetadataUpdateService({ store, patients: { isKnown: async (p) => h.known.has(p) }, profile, clock: () => h.now.value });
  const main = updater();
  const update = (xml: string, service: MetadataUpdateService = main) => service.update(parseXml(xml), { ...context(), transaction: 'ITI-57' });
  return {
    ...h,
    updater,
    update,
    async updateFails(xml) {
      try {
        await update(xml);
      } catch (e) {
        if (e instanceof XdsError) return e.errors.filter((x) => x.severity.endsWith('Error')).map((x) => x.errorCode);
        throw e;
      }
      throw new Error('update unexpectedly succeeded');
    },
  };
}

export const HAS_MEMBER = 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember';
export const UPDATE_STATUS = 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus';
export const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
export const DEPRECATED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated';
