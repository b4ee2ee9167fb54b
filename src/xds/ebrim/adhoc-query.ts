/**
 * query:AdhocQueryRequest (ebRS 3.0 §6.3; ITI TF-2a §3.18.4.1.2.1): the ResponseOption/@returnType, the
 * rim:AdhocQuery id (the stored query id), its @home (homeCommunityId) and its Slots. Slots are kept in
 * order and may repeat (several Slots of one name = AND, ITI TF-2a §3.18.4.1.2.3.5); their Value texts are
 * left raw for src/xds/queries/params.ts, the one parser of the parameter syntax.
 */
import { ErrorCode, XdsError } from '../errors.js';
import type { XmlElement } from '../../xml/tree.js';
import { child, childrenNamed } from '../../xml/tree.js';
import { NS } from './namespaces.js';

export type QueryReturnType = 'LeafClass' | 'ObjectRef';

export interface AdhocQueryRequest {
  returnType: QueryReturnType;
  queryId: string;
  slots: { name: string; values: string[] }[];
  homeCommunityId?: string;
}

function invalid(message: string): XdsError {
  return new XdsError(ErrorCode.RegistryError, `AdhocQueryRequest: ${message}`);
}

/** Reads an AdhocQueryRequest element; a request the registry cannot read is an XDSRegistryError. */
export function parseAdhocQueryRequest(el: XmlElement): AdhocQueryRequest {
  if (el.ns !== NS.query || el.name !== 'AdhocQueryRequest') {
    throw invalid(`expected {${NS.query}}AdhocQueryRequest, got {${el.ns}}${el.name}`);
  }
  const option = child(el, NS.query, 'ResponseOption');
  const rawReturnType = option?.attrs.returnType ?? 'LeafClass';
  // ebRS allows further return types (RegistryObject, ...); ITI TF-2a §3.18.4.1.2.3.4 allows only these two.
  if (rawReturnType !== 'LeafClass' && rawReturnType !== 'ObjectRef') {
    throw invalid(`returnType "${rawReturnType}" is not supported; use LeafClass or ObjectRef`);
  }
  const query = child(el, NS.rim, 'AdhocQuery');
  if (!query) throw invalid('no rim:AdhocQuery element');
  const queryId = query.attrs.id?.trim();
  if (!queryId) throw invalid('rim:AdhocQuery has no id (the stored query id)');
  const slots = childrenNamed(query, NS.rim, 'Slot').map((s) => {
    const name = s.attrs.name;
    if (!name) throw invalid('a Slot of rim:AdhocQuery has no name');
    const list = child(s, NS.rim, 'ValueList');
    return { name, values: list ? childrenNamed(list, NS.rim, 'Value').map((v) => v.text) : [] };
  });
  const request: AdhocQueryRequest = { returnType: rawReturnType, queryId, slots };
  const home = query.attrs.home?.trim();
  if (home) request.homeCommunityId = home;
  return request;
}
