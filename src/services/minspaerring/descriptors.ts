/**
 * The Min Spærring SOAP operations as TransactionDescriptors (dk-nsp.md §3.1), mounted by the composition
 * root with createSoapEndpoint on e.g. `/minspaerring`. Transport: DGWS 1.0.1 + HSUID (the policy
 * 'minspaerring'); the SOAP action is the operation name, as the MinLog2 WSDL does. Administration:
 * ConsentRegistrationsGetV2, ConsentAddPositiveV2, ConsentAddConstraintV2, ConsentModifyPositiveV2,
 * ConsentModifyConstraintV2, ConsentRevoke; verification: ConsentForUserCheck, ConsentForDataCheck (the
 * requester is the caller's HSUID user and organisation). A rejected input is a SOAP Sender fault whose
 * detail names the validation code.
 */
import type { SecurityPolicy } from '../../security/policies.js';
import { consentRequester } from '../../hooks/consent/requester.js';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import { SoapFault, type SoapRequest, type SoapResponse } from '../../soap/types.js';
import type { RequestContext, TransactionDescriptor } from '../../xds/transactions/descriptor.js';
import type { RegistryErrorEntry } from '../../xds/errors.js';
import { actorOf, ConsentValidationError, type ConsentService } from './consent-service.js';
import type { SorHierarchy } from './ports.js';
import { consentXml, dataItemXml, el, MINSPAERRING_NS, optional, readDataItems, readWhat, readWho, required, root, txt } from './soap-xml.js';

export const MINSPAERRING_POLICY = 'minspaerring';

/** DGWS 1.0.1 + HSUID (dk-nsp.md §3.1): users at level 4, systems at level 3, always with the HSUID header. */
export function minSpaerringPolicy(): SecurityPolicy {
  return {
    id: MINSPAERRING_POLICY,
    description: 'Min Spærring administration and verification (DGWS + HSUID)',
    accept: ['dgws-user', 'dgws-system', 'idws'],
    minLevel: { user: 4, system: 3, idws: 3 },
    requireHsuid: 'always',
  };
}

type Handler = (body: SoapRequest['body'], ctx: RequestContext) => Promise<string>;

function descriptor(op: string, handler: Handler): TransactionDescriptor {
  return {
    id: `MinSpaerring-${op}`,
    name: `Min Spærring ${op}`,
    action: op,
    responseAction: `${op}Response`,
    endpoints: [],
    requestElement: { ns: MINSPAERRING_NS, name: `${op}Request` },
    schema: 'none',
    metadataErrorCode: 'invalid_request',
    securityPolicy: MINSPAERRING_POLICY,
    readPath: false,
    auditEvent: `MinSpaerring-${op}`,
    async handle(request: SoapRequest, context: RequestContext): Promise<SoapResponse> {
      try {
        return { bodyXml: await handler(request.body, context) };
      } catch (err) {
        if (err instanceof ConsentValidationError) {
          throw new SoapFault('Sender', err.message, undefined, `<ms:ValidationError xmlns:ms="${MINSPAERRING_NS}" code="${escapeAttr(err.code)}">${escapeText(err.message)}</ms:ValidationError>`);
        }
        throw err;
      }
    },
    errorResponse(errors: RegistryErrorEntry[]): string {
      return root(`${op}Response`, errors.map((e) => el('Error', escapeText(e.codeContext), { code: String(e.errorCode) })).join(''));
    },
  };
}

export function createMinSpaerringDescriptors(service: ConsentService, sor: SorHierarchy): TransactionDescriptor[] {
  const add = (op: string, kind: 'positive' | 'negative') =>
    descriptor(op, async (b, ctx) => {
      const input = { citizenCpr: required(b, 'CitizenCpr'), who: readWho(b), what: readWhat(b), validFrom: required(b, 'ValidFrom'), validTo: optional(b, 'ValidTo') };
      const actor = actorOf(ctx.security);
      const c = kind === 'positive' ? await service.addPositive(input, actor) : await service.addConstraint(input, actor);
      return root(`${op}Response`, consentXml(c));
    });
  const modify = (op: string, kind: 'positive' | 'negative') =>
    descriptor(op, async (b, ctx) => {
      const id = required(b, 'Id');
      const existing = (await service.registrationsGetById(id, actorOf(ctx.security)));
      if (existing.consentType !== kind) throw new ConsentValidationError('wrong_consent_type', `consent ${id} is ${existing.consentType}; use the ${existing.consentType === 'positive' ? 'Positive' : 'Constraint'} operation`);
      const c = await service.modify({ id, who: readWho(b), what: readWhat(b), validFrom: optional(b, 'ValidFrom'), validTo: optional(b, 'ValidTo') }, actorOf(ctx.security));
      return root(`${op}Response`, consentXml(c));
    });
  return [
    descriptor('ConsentRegistrationsGetV2', async (b, ctx) => {
      const list = await service.registrationsGet(required(b, 'CitizenCpr'), actorOf(ctx.security));
      return root('ConsentRegistrationsGetV2Response', list.map(consentXml).join(''));
    }),
    add('ConsentAddPositiveV2', 'positive'),
    add('ConsentAddConstraintV2', 'negative'),
    modify('ConsentModifyPositiveV2', 'positive'),
    modify('ConsentModifyConstraintV2', 'negative'),
    descriptor('ConsentRevoke', async (b, ctx) => root('ConsentRevokeResponse', consentXml(await service.revoke(required(b, 'Id'), actorOf(ctx.security))))),
    descriptor('ConsentForUserCheck', async (b, ctx) => {
      const result = await service.forUserCheck(required(b, 'CitizenCpr'), await consentRequester(ctx.security, sor));
      return root('ConsentForUserCheckResponse', txt('Result', result));
    }),
    descriptor('ConsentForDataCheck', async (b, ctx) => {
      const { allowed, denied } = await service.forDataCheck(required(b, 'CitizenCpr'), await consentRequester(ctx.security, sor), readDataItems(b));
      return root('ConsentForDataCheckResponse', el('Allowed', allowed.map(dataItemXml).join('')) + el('Denied', denied.map(dataItemXml).join('')));
    }),
  ];
}
