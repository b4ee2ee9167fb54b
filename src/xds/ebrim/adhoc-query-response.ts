/**
 * query:AdhocQueryResponse (ebRS 3.0 §6.3; ITI TF-2a §3.18.4.1.3): status, rim:RegistryObjectList with
 * the results as LeafClass or ObjectRef, and rs:RegistryErrorList with errors and warnings. Per ITI TF-2a
 * §3.18.4.1.3 the status is Failure when an error is reported (and then no objects), Success otherwise;
 * warnings ride along with Success. PartialSuccess is for callers that return part of a result.
 */
import type { RegistryErrorEntry } from '../errors.js';
import type { RegistryObject } from '../model/types.js';
import { encodeRegistryObjectList, type EncodeOptions, type ReturnType } from './encode-objects.js';
import { NS, ResponseStatus, type ResponseStatusValue } from './namespaces.js';
import { registryErrorListXml, statusFor } from './registry-response.js';

export interface AdhocQueryResponseInput {
  objects?: readonly RegistryObject[];
  returnType?: ReturnType;
  errors?: readonly RegistryErrorEntry[];
  /** defaults to what the entries imply (Failure when any error, else Success). */
  status?: ResponseStatusValue;
  encode?: EncodeOptions;
}

export function adhocQueryResponseXml(input: AdhocQueryResponseInput): string {
  const errors = input.errors ?? [];
  const status = input.status ?? statusFor(errors);
  const objects = status === ResponseStatus.Failure ? [] : (input.objects ?? []);
  return (
    `<query:AdhocQueryResponse xmlns:query="${NS.query}" xmlns:rs="${NS.rs}" status="${status}">` +
    registryErrorListXml(errors) +
    encodeRegistryObjectList(objects, input.returnType ?? 'LeafClass', input.encode) +
    `</query:AdhocQueryResponse>`
  );
}

/** A Failure AdhocQueryResponse for these errors (ITI-18 / ITI-51 TransactionDescriptor.errorResponse). */
export function adhocQueryFailureXml(errors: readonly RegistryErrorEntry[]): string {
  return adhocQueryResponseXml({ errors, status: ResponseStatus.Failure });
}
