/**
 * Ports of the consent service (ports and adapters: the domain never sees SQL). The SQLite adapter is
 * sqlite-consent-store.ts; tests and other deployments may bring their own.
 */
import type { Consent } from './model.js';

export interface ConsentStore {
  insert(consent: Consent): Promise<void>;
  /** replaces the stored registration with the same id; false when there is none. */
  update(consent: Consent): Promise<boolean>;
  get(id: string): Promise<Consent | undefined>;
  /** every registration of the citizen, revoked ones included, oldest first. */
  listForCitizen(citizenCpr: string): Promise<Consent[]>;
  close(): Promise<void>;
}

/** An organisation id as sent in OrgUsingID / medcom:CareProvider (NameFormat: sor, skscode, ynumber, cvrnumber ...). */
export interface OrganisationId {
  type: string;
  id: string;
}

/**
 * The SOR hierarchy (SORES `BRSSearchAllChildren`, `BRSMapShakToSor`, dk-nsp.md §4): enough to map SHAK/yder
 * ids to SOR and to find every ancestor of a unit, so a block on a hospital covers its departments.
 */
export interface SorHierarchy {
  /** the SOR id for an organisation id of any known type, or undefined when unknown. */
  toSor(org: OrganisationId): Promise<string | undefined>;
  /** the unit and all its ancestors (nearest first); [] when the SOR id is unknown. */
  lineage(sorId: string): Promise<string[]>;
}

export interface SorUnit {
  sorId: string;
  parentSorId?: string;
  name?: string;
  /** SKS/SHAK code mapped to this unit (BRSMapShakToSor). */
  shak?: string;
  /** ydernummer mapped to this unit (GetSorEntityByProvider). */
  yder?: string;
}
