/**
 * The error catalogue: XDS error codes (ITI TF-3 §4.2.4.1, Table 4.2.4.1-2 and the ITI-57/62/86
 * additions) and the carrier types that the SOAP layer turns into RegistryErrorList entries.
 */

export const ErrorCode = {
  RegistryError: 'XDSRegistryError',
  RegistryMetadataError: 'XDSRegistryMetadataError',
  RepositoryError: 'XDSRepositoryError',
  RepositoryMetadataError: 'XDSRepositoryMetadataError',
  RegistryBusy: 'XDSRegistryBusy',
  RepositoryBusy: 'XDSRepositoryBusy',
  RegistryOutOfResources: 'XDSRegistryOutOfResources',
  RepositoryOutOfResources: 'XDSRepositoryOutOfResources',
  RegistryNotAvailable: 'XDSRegistryNotAvailable',
  MissingDocument: 'XDSMissingDocument',
  MissingDocumentMetadata: 'XDSMissingDocumentMetadata',
  UnknownPatientId: 'XDSUnknownPatientId',
  PatientIdDoesNotMatch: 'XDSPatientIdDoesNotMatch',
  DuplicateUniqueIdInRegistry: 'XDSDuplicateUniqueIdInRegistry',
  RegistryDuplicateUniqueIdInMessage: 'XDSRegistryDuplicateUniqueIdInMessage',
  RepositoryDuplicateUniqueIdInMessage: 'XDSRepositoryDuplicateUniqueIdInMessage',
  NonIdenticalHash: 'XDSNonIdenticalHash',
  NonIdenticalSize: 'XDSNonIdenticalSize',
  DocumentUniqueIdError: 'XDSDocumentUniqueIdError',
  UnknownRepositoryId: 'XDSUnknownRepositoryId',
  UnknownCommunity: 'XDSUnknownCommunity',
  UnknownStoredQuery: 'XDSUnknownStoredQuery',
  StoredQueryParamNumber: 'XDSStoredQueryParamNumber',
  StoredQueryMissingParam: 'XDSStoredQueryMissingParam',
  ResultNotSinglePatient: 'XDSResultNotSinglePatient',
  TooManyResults: 'XDSTooManyResults',
  ExtraMetadataNotSaved: 'XDSExtraMetadataNotSaved',
  ReplaceFailed: 'XDSReplaceFailed',
  UnavailableDocument: 'XDSUnavailableDocument',
  MetadataUpdateError: 'XDSMetadataUpdateError',
  MetadataUpdateOperationError: 'XDSMetadataUpdateOperationError',
  MetadataVersionError: 'XDSMetadataVersionError',
  PatientIdReconciliationError: 'XDSPatientIDReconciliationError',
  UnresolvedReferenceException: 'urn:oasis:names:tc:ebxml-regrep:ErrorCode:UnresolvedReferenceException',
  UnreferencedObjectException: 'XDSUnreferencedObjectException',
  ReferencesExistException: 'urn:oasis:names:tc:ebxml-regrep:ErrorCode:ReferencesExistException',
  InvalidRequestException: 'urn:oasis:names:tc:ebxml-regrep:ErrorCode:InvalidRequestException',
} as const;
export type XdsErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode] | string;

export const Severity = {
  Error: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error',
  Warning: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning',
} as const;
export type ErrorSeverity = (typeof Severity)[keyof typeof Severity];

/** One rs:RegistryError entry (ebRS 3.0 §2.1.6). */
export interface RegistryErrorEntry {
  errorCode: XdsErrorCode;
  codeContext: string;
  severity: ErrorSeverity;
  /** the object the error is about (a uuid or uniqueId), when known. */
  location?: string;
}

/**
 * Thrown by domain code to end a transaction with one or more RegistryErrors. The transaction layer
 * catches it and answers a RegistryResponse with status Failure (never a SOAP fault, never a stack trace).
 */
export class XdsError extends Error {
  readonly errors: RegistryErrorEntry[];

  constructor(code: XdsErrorCode, codeContext: string, location?: string);
  constructor(errors: RegistryErrorEntry[]);
  constructor(codeOrErrors: XdsErrorCode | RegistryErrorEntry[], codeContext?: string, location?: string) {
    const errors = Array.isArray(codeOrErrors)
      ? codeOrErrors
      : [{ errorCode: codeOrErrors, codeContext: codeContext ?? '', severity: Severity.Error, location }];
    super(errors.map((e) => `${e.errorCode}: ${e.codeContext}`).join('; '));
    this.name = 'XdsError';
    this.errors = errors;
  }
}

/** Collects errors and warnings while validating, so one response can report them all. */
export class ErrorCollector {
  readonly entries: RegistryErrorEntry[] = [];

  error(errorCode: XdsErrorCode, codeContext: string, location?: string): void {
    this.entries.push({ errorCode, codeContext, severity: Severity.Error, location });
  }

  warning(errorCode: XdsErrorCode, codeContext: string, location?: string): void {
    this.entries.push({ errorCode, codeContext, severity: Severity.Warning, location });
  }

  get hasErrors(): boolean {
    return this.entries.some((e) => e.severity === Severity.Error);
  }

  /** Throws an XdsError carrying every entry (warnings included) when any error was collected. */
  throwIfErrors(): void {
    if (this.hasErrors) throw new XdsError(this.entries);
  }

  get warnings(): RegistryErrorEntry[] {
    return this.entries.filter((e) => e.severity === Severity.Warning);
  }
}
