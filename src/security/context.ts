/**
 * The one SecurityContext every service and hook decides on (dk-nsp.md §1: DGWS ID card + HSUID header,
 * or an OIO IDWS token). Produced by src/security/ from the request's headers.
 */
export type TokenType = 'dgws-user' | 'dgws-system' | 'idws' | 'none';

export interface SecurityContext {
  tokenType: TokenType;
  /** NSP authentication level (DGWS 1.0.1: 1..5). */
  authLevel: number;
  /** Card or token issuer (the trusted STS). */
  issuer?: string;
  /** Subject: the person's CPR for user cards, the system's name for system cards. */
  subjectCpr?: string;
  subjectName?: string;
  /** Care provider (CVR / SOR / SKS / Ydernummer) from the ID card or token. */
  careProvider?: { type: string; id: string; name?: string };
  /** Role / authorization code (medcom:UserRole, medcom:UserAuthorizationCode). */
  role?: string;
  authorizationCode?: string;
  systemName?: string;
  /** HSUID (dk-nsp.md §1.3). */
  hsuid?: {
    userType?: 'HEALTHCAREPROFESSIONAL' | 'CITIZEN' | string;
    citizenCivilRegistrationNumber?: string;
    actingUserCpr?: string;
    actingUserName?: string;
    responsibleUserCpr?: string;
    responsibleUserName?: string;
    orgUsingId?: { type: string; id: string };
    orgUsingName?: string;
    consentOverride?: boolean;
    systemName?: string;
    systemVersion?: string;
    systemVendor?: string;
    operationsOrganisation?: string;
    /** nsi:ResponsibleUserAuthorizationCode (the authorisation register code of the responsible user). */
    responsibleUserAuthorizationCode?: string;
    /** nsi:SystemOwnerName / nsi:OrgResponsibleName as sent (also mapped to systemVendor / operationsOrganisation). */
    systemOwnerName?: string;
    orgResponsibleName?: string;
    /** nsi:CitizenUserRelation (HSUID 2016/08). */
    citizenUserRelation?: string;
  };
  /** medcom:Header MessageID / FlowID, echoed in replies. */
  medcom?: { messageId?: string; flowId?: string; securityLevel?: number };
  /** Token identity and lifetime: sosi:IDCardID or the SAML assertion ID, and NotOnOrAfter. */
  tokenId?: string;
  validUntil?: Date;
  /** OIO IDWS: the audience the token was issued for (checked against the service's audience). */
  audience?: string;
  /** The security policy id the request was admitted under (e.g. 'xds-read'). */
  policyId?: string;
  /** Set only in the explicit insecure development mode (XDS_INSECURE_DEV=1). */
  insecureDevelopment?: boolean;
}

/** The context used when a service runs without a security stack (insecure development mode). */
export function anonymousContext(): SecurityContext {
  return { tokenType: 'none', authLevel: 0, insecureDevelopment: true };
}
