/** GetAssociations (ITI TF-2a §3.18.4.1.2.3.7.7): the Associations whose source or target is one of $uuid. */
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_ASSOCIATIONS_ID = 'urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155';

export const getAssociations: StoredQuery = {
  id: GET_ASSOCIATIONS_ID,
  name: 'GetAssociations',
  params: {
    $uuid: { kind: 'string', required: true, multiple: true },
    $homeCommunityId: { kind: 'string' },
  },
  async execute(params, store, options) {
    const cap = new ResultCap(options.maxResults);
    const assocs = cap.check(await store.findAssociations({ sourceOrTarget: params.list('$uuid')! }, cap.findOptions));
    return { objects: assocs, requestedPatientIds: [] };
  },
};
