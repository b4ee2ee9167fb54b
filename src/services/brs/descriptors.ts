/**
 * The BRS SOAP operations as TransactionDescriptors (dk-nsp.md §3.3), mounted e.g. on `/brs-nsp/service/brs`
 * (the NSP path). No public BRS WSDL exists (dk-nsp.md §6): the hub's namespace follows the NSP style and the
 * element names are the treatmentRelationRequestBody fields of the nspop pages.
 *
 * - TreatmentRelation: judges the relation now; with Followup=true also orders a follow-up (queued, idempotent
 *   by ExternalReferenceId), whose result later appears as a notification.
 * - GetNotifications: the caller's notifications numbered in sequence after Offset (at most MaxResults);
 *   a system card's CVR must be the QueryableCvr it asks for.
 */
import type { SecurityPolicy } from '../../security/policies.js';
import { escapeText } from '../../xml/escape.js';
import { SoapFault, type SoapRequest } from '../../soap/types.js';
import { child, childrenNamed, type XmlElement } from '../../xml/tree.js';
import type { RegistryErrorEntry } from '../../xds/errors.js';
import type { RequestContext, TransactionDescriptor } from '../../xds/transactions/descriptor.js';
import type { JobQueue } from '../../storage/ports.js';
import { BRS_QUEUE } from './brs-worker.js';
import { RELATION_CATEGORIES, type BrsNotification, type RelationCategory, type TreatmentRelation, type TreatmentRelationRequest } from './model.js';
import type { BrsNotificationStore } from './ports.js';
import type { TreatmentRelationService } from './treatment-relation-service.js';

export const BRS_NS = 'http://nsi.dk/brs/2026/11/28/';
export const BRS_POLICY = 'brs';

/** DGWS system ID card and a CVR whitelist (dk-nsp.md §3.3). */
export function brsPolicy(whitelistedCvrs?: string[]): SecurityPolicy {
  return { id: BRS_POLICY, description: 'BRS treatment relation and notifications', accept: ['dgws-system'], minLevel: { system: 3 }, requireHsuid: 'never', whitelistedCvrs };
}

const v = (e: XmlElement, name: string): string | undefined => {
  const t = child(e, BRS_NS, name)?.text.trim();
  return t === undefined || t === '' ? undefined : t;
};
const req = (e: XmlElement, name: string): string => {
  const t = v(e, name);
  if (t === undefined) throw new SoapFault('Sender', `${e.name} needs ${name}`);
  return t;
};
const t = (name: string, value: string | number | boolean | undefined): string => (value === undefined ? '' : `<brs:${name}>${escapeText(String(value))}</brs:${name}>`);

export function readTreatmentRelationRequest(b: XmlElement, now: Date): TreatmentRelationRequest {
  const org = child(b, BRS_NS, 'OrganisationIdentifier');
  if (!org || !org.text.trim()) throw new SoapFault('Sender', 'TreatmentRelationRequest needs OrganisationIdentifier');
  const patientCpr = req(b, 'PatientCpr');
  const professional = req(b, 'HealthProfessionalCpr');
  for (const [n, c] of [['PatientCpr', patientCpr], ['HealthProfessionalCpr', professional]]) {
    if (!/^\d{10}$/.test(c!)) throw new SoapFault('Sender', `${n} "${c}" is not a 10-digit CPR number`);
  }
  const days = v(b, 'RelationLookupTimeInterval');
  if (days !== undefined && !/^\d{1,5}$/.test(days)) throw new SoapFault('Sender', `RelationLookupTimeInterval "${days}" is not a number of days`);
  const minimum = childrenNamed(b, BRS_NS, 'MinimumAcceptableRelation').map((m) => m.text.trim());
  for (const m of minimum) {
    if (m !== 'ANY' && !(RELATION_CATEGORIES as readonly string[]).includes(m)) throw new SoapFault('Sender', `MinimumAcceptableRelation "${m}" is not one of ANY, ${RELATION_CATEGORIES.join(', ')}`);
  }
  return {
    patientCpr,
    healthcareProfessionalCpr: professional,
    authorisationIdentifier: v(b, 'AuthorisationIdentifier'),
    organisationIdentifier: { type: org.attrs.type ?? org.attrs.NameFormat ?? 'sor', id: org.text.trim() },
    relationLookupDays: days === undefined ? undefined : Number(days),
    externalReferenceId: v(b, 'ExternalReferenceId'),
    queryableCvr: v(b, 'QueryableCvr'),
    minimumAcceptableRelation: minimum.length === 0 || minimum.includes('ANY') ? 'ANY' : (minimum as RelationCategory[]),
    accessTime: v(b, 'AccessTime') ?? now.toISOString(),
    followup: v(b, 'Followup') === 'true',
  };
}

const relationXml = (r: TreatmentRelation): string => t('Relation', r.category) + t('Acceptable', r.acceptable) + t('Evidence', r.evidence);

function notificationXml(n: BrsNotification): string {
  return `<brs:Notification>${t('SequenceNumber', n.seq)}${t('ExternalReferenceId', n.request.externalReferenceId)}${t('PatientCpr', n.request.patientCpr)}${t('HealthProfessionalCpr', n.request.healthcareProfessionalCpr)}${t('OrganisationIdentifier', `${n.request.organisationIdentifier.type}:${n.request.organisationIdentifier.id}`)}${t('AccessTime', n.request.accessTime)}${relationXml(n.relation)}${t('Created', n.createdAt)}</brs:Notification>`;
}

function base(id: string, op: string, requestName: string, handle: (b: XmlElement, ctx: RequestContext) => Promise<string>): TransactionDescriptor {
  return {
    id: `BRS-${id}`,
    name: `BRS ${op}`,
    action: op,
    responseAction: `${op}Response`,
    endpoints: [],
    requestElement: { ns: BRS_NS, name: requestName },
    schema: 'none',
    metadataErrorCode: 'invalid_request',
    securityPolicy: BRS_POLICY,
    readPath: false,
    auditEvent: `BRS-${id}`,
    async handle(request: SoapRequest, context: RequestContext) {
      return { bodyXml: await handle(request.body, context) };
    },
    errorResponse(errors: RegistryErrorEntry[]) {
      return `<brs:${op}Response xmlns:brs="${BRS_NS}">${errors.map((e) => t('Error', `${e.errorCode}: ${e.codeContext}`)).join('')}</brs:${op}Response>`;
    },
  };
}

export function createBrsDescriptors(deps: { relations: Pick<TreatmentRelationService, 'lookup'>; notifications: BrsNotificationStore; queue: JobQueue; clock?: () => Date }): TransactionDescriptor[] {
  const clock = deps.clock ?? (() => new Date());
  return [
    base('TreatmentRelation', 'TreatmentRelation', 'TreatmentRelationRequest', async (b) => {
      const order = readTreatmentRelationRequest(b, clock());
      const relation = await deps.relations.lookup(order);
      if (order.followup) {
        if (!order.queryableCvr || !order.externalReferenceId) throw new SoapFault('Sender', 'Followup needs QueryableCvr and ExternalReferenceId');
        await deps.queue.enqueue(BRS_QUEUE, order, { key: `brs:ext:${order.queryableCvr}:${order.externalReferenceId}` });
      }
      return `<brs:TreatmentRelationResponse xmlns:brs="${BRS_NS}">${relationXml(relation)}${t('FollowupOrdered', order.followup === true)}</brs:TreatmentRelationResponse>`;
    }),
    base('GetNotifications', 'GetNotifications', 'GetNotificationsRequest', async (b, ctx) => {
      const cvr = req(b, 'QueryableCvr');
      const offset = v(b, 'Offset') ?? '0';
      const max = v(b, 'MaxResults') ?? '100';
      if (!/^\d{1,12}$/.test(offset) || !/^\d{1,4}$/.test(max) || Number(max) < 1 || Number(max) > 1000) {
        throw new SoapFault('Sender', 'Offset must be a non-negative integer and MaxResults 1..1000');
      }
      const caller = ctx.security.careProvider;
      if (caller && /cvr/i.test(caller.type) && caller.id !== cvr) throw new SoapFault('Sender', `CVR ${caller.id} may not read the notifications of CVR ${cvr}`);
      const list = await deps.notifications.after(cvr, Number(offset), Number(max));
      const next = list.length > 0 ? list[list.length - 1]!.seq : Number(offset);
      return `<brs:GetNotificationsResponse xmlns:brs="${BRS_NS}">${list.map(notificationXml).join('')}${t('NextOffset', next)}</brs:GetNotificationsResponse>`;
    }),
  ];
}
