/**
 * ITI-8 Patient Identity Feed, Document Registry side (ITI TF-2a §3.8; HL7 v2.3.1 ADT, any 2.x read).
 *
 * - ADT^A01 (admit), A04 (register), A05 (pre-admit) create the patient; A08 (update patient information)
 *   updates it, creating it when unknown (§3.8.4.1). A40 (merge patient, §3.8.4.2): the MRG-1 id is merged
 *   into the PID-3 id; the subsumed id stops being an active patient id.
 * - PID-3 may repeat; the registry keeps only the identifier of the XDS Affinity Domain (§3.8.4.1.3),
 *   recognised by its assigning authority CX.4 universal id (type ISO) being one of
 *   `affinityDomainAuthorities`; with an empty list any ISO OID authority is taken (first repetition).
 *   It is stored in XDS form `id^^^&oid&ISO` (ITI TF-3 §4.2.3.2.16).
 * - Demographics (PID-5 name, PID-7 birth date, PID-8 sex) are kept for display. HL7 update semantics
 *   (v2.5 §2.5.3): an empty field leaves the stored value, `""` deletes it.
 * - Every message gets an ACK (hl7-ack.ts): AA accepted; AR for what the registry does not take at all
 *   (unreadable, not ADT, unsupported event or version, HL7 v2.5 §2.9.2.2); AE when the content is wrong
 *   (no PID, no PID-3, no affinity-domain identifier, a malformed id).
 */
import { randomBytes } from 'node:crypto';
import { buildAck, HL7_ERROR, type AckCode, type AckError, type AckRequestHeader } from './hl7-ack.js';
import { decodeHl7, encodeHl7 } from './hl7-charset.js';
import { Hl7ParseError, parseHl7, type Hl7Message, type Hl7Repetition, type Hl7Segment } from './hl7-message.js';
import type { MllpFrameInfo, MllpLogger, MllpMessageHandler } from './mllp-server.js';
import { InvalidPatientIdError, type Clock, type PatientIdentityService } from './patient-identity.js';
import { applyDemographics, readDemographics } from './pid-demographics.js';
import { formatPatientId, isOid } from '../xds/model/hl7.js';

/** ADT events this registry takes (ITI TF-2a §3.8.4.1.1 and §3.8.4.2.1). */
export const CREATE_EVENTS = ['A01', 'A04', 'A05'] as const;
export const UPDATE_EVENTS = ['A08'] as const;
export const MERGE_EVENTS = ['A40'] as const;
const SUPPORTED_EVENTS = new Set<string>([...CREATE_EVENTS, ...UPDATE_EVENTS, ...MERGE_EVENTS]);

/** `source` written on records created by this feed. */
export const ITI8_SOURCE = 'iti8';

export interface IdentityFeedOptions {
  identity: Pick<PatientIdentityService, 'register' | 'merge' | 'get'>;
  /** Universal ids (OIDs) of the affinity domain's assigning authority; empty = any ISO authority. */
  affinityDomainAuthorities?: string[];
  /** This registry as an HL7 application (ACK MSH-3/4 when the request's MSH-5/6 are empty). */
  application?: { name: string; facility?: string };
  clock?: Clock;
  logger?: MllpLogger;
  /** MSH-10 of the ACKs; default 16 random hex digits. */
  newMessageControlId?: () => string;
}

export interface FeedOutcome {
  ackCode: AckCode;
  event?: string;
  /** The patient id created/updated, or for A40 the surviving id. */
  patientId?: string;
  /** A40: the ids merged into patientId. */
  mergedIds?: string[];
  error?: AckError;
}

export interface IdentityFeed {
  /** Processes one message's text; returns the ACK text and what happened. */
  handleText(text: string, info?: MllpFrameInfo): Promise<{ ack: string; outcome: FeedOutcome }>;
  /** For startMllpServer({ onMessage }): charset handling around handleText. */
  handleFrame: MllpMessageHandler;
}

/** A rejection/error carried from the checks to the ACK. */
class FeedError extends Error {
  constructor(
    readonly ackCode: 'AE' | 'AR',
    readonly detail: AckError,
  ) {
    super(detail.message);
  }
}

export function createIdentityFeed(options: IdentityFeedOptions): IdentityFeed {
  const domains = new Set(options.affinityDomainAuthorities ?? []);
  const application = options.application ?? { name: 'XDS-HUB' };
  const clock = options.clock ?? (() => new Date());
  const newControlId = options.newMessageControlId ?? (() => randomBytes(8).toString('hex'));
  const logger = options.logger;

  async function handleText(text: string, info: MllpFrameInfo = {}): Promise<{ ack: string; outcome: FeedOutcome }> {
    let header: AckRequestHeader = {};
    let outcome: FeedOutcome;
    try {
      let message: Hl7Message;
      try {
        // For an oversize frame only its head arrived: read the MSH line alone, to quote MSH-10.
        message = parseHl7(info.oversize ? text.split(/\r|\n/, 1)[0]! : text);
      } catch (e) {
        if (!(e instanceof Hl7ParseError)) throw e;
        throw new FeedError('AR', { condition: HL7_ERROR.segmentSequence, message: `unreadable HL7 v2 message: ${e.message}` });
      }
      header = readHeader(message);
      if (info.oversize) {
        throw new FeedError('AR', {
          condition: HL7_ERROR.applicationInternalError,
          message: `message of ${info.oversize.size} bytes exceeds the limit of ${info.oversize.limit} bytes`,
        });
      }
      outcome = await process(message, header);
    } catch (e) {
      if (e instanceof FeedError) {
        outcome = { ackCode: e.ackCode, event: header.triggerEvent, error: e.detail };
      } else {
        // A store failure or a bug: AE 207, details only in the log (never in the ACK).
        logger?.error('ITI-8 message processing failed', { error: (e as Error).message, control: header.messageControlId });
        outcome = {
          ackCode: 'AE',
          event: header.triggerEvent,
          error: { condition: HL7_ERROR.applicationInternalError, message: 'the registry could not store the patient; resend later' },
        };
      }
    }
    if (outcome.ackCode !== 'AA') {
      logger?.warn('ITI-8 message not accepted', { ack: outcome.ackCode, reason: outcome.error?.message, control: header.messageControlId });
    } else {
      logger?.info('ITI-8 message accepted', { event: outcome.event, patientId: outcome.patientId });
    }
    const ack = buildAck({
      code: outcome.ackCode,
      request: header,
      error: outcome.error,
      application,
      now: clock(),
      messageControlId: newControlId(),
    });
    return { ack, outcome };
  }

  async function process(message: Hl7Message, header: AckRequestHeader): Promise<FeedOutcome> {
    const msh = message.segment('MSH')!;
    const messageType = msh.value(9, 1);
    if (messageType !== 'ADT') {
      throw new FeedError('AR', {
        condition: HL7_ERROR.unsupportedMessageType,
        message: `message type "${messageType}" is not taken here; the Patient Identity Feed is ADT (ITI TF-2a §3.8)`,
        location: { segment: 'MSH', sequence: 1, field: 9, component: 1 },
      });
    }
    const event = header.triggerEvent ?? '';
    if (!SUPPORTED_EVENTS.has(event)) {
      throw new FeedError('AR', {
        condition: HL7_ERROR.unsupportedEventCode,
        message: `ADT event "${event}" is not supported; the registry takes A01, A04, A05, A08 and A40`,
        location: { segment: 'MSH', sequence: 1, field: 9, component: 2 },
      });
    }
    if (!/^2\.\d/.test(header.versionId ?? '')) {
      throw new FeedError('AR', {
        condition: HL7_ERROR.unsupportedVersionId,
        message: `HL7 version "${header.versionId ?? ''}" is not an HL7 v2 version`,
        location: { segment: 'MSH', sequence: 1, field: 12 },
      });
    }
    if (!header.messageControlId) {
      throw new FeedError('AR', {
        condition: HL7_ERROR.requiredFieldMissing,
        message: 'MSH-10 (message control id) is empty',
        location: { segment: 'MSH', sequence: 1, field: 10 },
      });
    }
    if (event === 'A40') return merge(message, event);
    return createOrUpdate(message, event);
  }

  async function createOrUpdate(message: Hl7Message, event: string): Promise<FeedOutcome> {
    const pid = message.segment('PID');
    if (!pid) throw new FeedError('AE', { condition: HL7_ERROR.segmentSequence, message: `ADT^${event} has no PID segment`, location: { segment: 'PID' } });
    const patientId = domainIdentifier(pid.repetitions(3), { segment: 'PID', field: 3, what: 'PID-3 (patient identifier list)' });
    const existing = await options.identity.get(patientId);
    if (existing?.mergedInto !== undefined) {
      throw new FeedError('AE', {
        condition: HL7_ERROR.unknownKeyIdentifier,
        message: `patient ${patientId} was merged into ${existing.mergedInto} (A40); send updates for the surviving id`,
        location: { segment: 'PID', sequence: 1, field: 3 },
      });
    }
    const demographics = applyDemographics(existing?.demographics, readDemographics(pid));
    await register(patientId, demographics);
    return { ackCode: 'AA', event, patientId };
  }

  async function merge(message: Hl7Message, event: string): Promise<FeedOutcome> {
    // A40 repeats the group PID [PD1] MRG [PV1] (HL7 v2.5 §3.3.40); pair each PID with the MRG after it.
    const pairs: { survivor: string; subsumed: string }[] = [];
    let current: { pid: Hl7Segment; sequence: number } | undefined;
    let sequence = 0;
    for (const segment of message.segments) {
      if (segment.name === 'PID') {
        if (current) throw missingMrg(current.sequence);
        current = { pid: segment, sequence: ++sequence };
      } else if (segment.name === 'MRG') {
        if (!current) throw new FeedError('AE', { condition: HL7_ERROR.segmentSequence, message: 'MRG segment without a PID before it' });
        const survivor = domainIdentifier(current.pid.repetitions(3), { segment: 'PID', sequence: current.sequence, field: 3, what: 'PID-3 (surviving patient identifier list)' });
        const subsumed = domainIdentifier(segment.repetitions(1), { segment: 'MRG', sequence: current.sequence, field: 1, what: 'MRG-1 (prior patient identifier list)' });
        pairs.push({ survivor, subsumed });
        current = undefined;
      }
    }
    if (current) throw missingMrg(current.sequence);
    if (pairs.length === 0) throw new FeedError('AE', { condition: HL7_ERROR.segmentSequence, message: 'ADT^A40 has no PID/MRG pair', location: { segment: 'PID' } });
    for (const { survivor, subsumed } of pairs) {
      if (survivor === subsumed) {
        throw new FeedError('AE', { condition: HL7_ERROR.dataTypeError, message: `MRG-1 and PID-3 name the same patient ${survivor}`, location: { segment: 'MRG', field: 1 } });
      }
    }
    for (const { survivor, subsumed } of pairs) await options.identity.merge(subsumed, survivor, ITI8_SOURCE);
    const survivor = pairs[pairs.length - 1]!.survivor;
    return { ackCode: 'AA', event, patientId: survivor, mergedIds: pairs.map((p) => p.subsumed) };
  }

  async function register(patientId: string, demographics: Record<string, string> | undefined): Promise<void> {
    try {
      await options.identity.register(patientId, ITI8_SOURCE, demographics);
    } catch (e) {
      if (e instanceof InvalidPatientIdError) {
        throw new FeedError('AE', { condition: HL7_ERROR.dataTypeError, message: e.message, location: { segment: 'PID', sequence: 1, field: 3 } });
      }
      throw e;
    }
  }

  /**
   * Picks the affinity domain's identifier among a CX list's repetitions and returns it as an XDS
   * patient id. AE when the list is empty, holds no identifier of the domain, or the id is malformed.
   */
  function domainIdentifier(
    repetitions: Hl7Repetition[],
    where: { segment: string; sequence?: number; field: number; what: string },
  ): string {
    const location = { segment: where.segment, sequence: where.sequence ?? 1, field: where.field };
    if (repetitions.length === 0) {
      throw new FeedError('AE', { condition: HL7_ERROR.requiredFieldMissing, message: `${where.what} is empty`, location });
    }
    const candidates = repetitions
      .map((r) => ({ id: r.value(1), oid: r.value(4, 2), type: r.value(4, 3) }))
      .filter((c) => c.id !== '' && c.type.toUpperCase() === 'ISO' && isOid(c.oid));
    const chosen = domains.size > 0 ? candidates.find((c) => domains.has(c.oid)) : candidates[0];
    if (!chosen) {
      const wanted = domains.size > 0 ? `the affinity domain's (${[...domains].join(', ')})` : 'an ISO OID';
      throw new FeedError('AE', {
        condition: HL7_ERROR.unknownKeyIdentifier,
        message: `${where.what} has no identifier whose assigning authority (CX.4 universal id, type ISO) is ${wanted}`,
        location,
      });
    }
    if (/[\^&~\\|\s]/.test(chosen.id)) {
      throw new FeedError('AE', {
        condition: HL7_ERROR.dataTypeError,
        message: `${where.what}: id "${chosen.id}" contains characters an XDS patient id cannot carry`,
        location,
      });
    }
    return formatPatientId(chosen.id, chosen.oid);
  }

  return {
    handleText,
    handleFrame: async (payload, info) => {
      const { text, charset } = decodeHl7(payload);
      const { ack } = await handleText(text, info);
      return encodeHl7(ack, charset);
    },
  };
}

function missingMrg(sequence: number): FeedError {
  return new FeedError('AE', { condition: HL7_ERROR.segmentSequence, message: `PID #${sequence} of ADT^A40 has no MRG segment`, location: { segment: 'MRG', sequence } });
}

/** MSH fields the ACK needs (read before any other check, so even a rejection quotes MSH-10). */
function readHeader(message: Hl7Message): AckRequestHeader {
  const msh = message.segment('MSH')!;
  const evn = message.segment('EVN');
  return {
    sendingApplication: msh.repetitions(3)[0]?.raw ?? '',
    sendingFacility: msh.repetitions(4)[0]?.raw ?? '',
    receivingApplication: msh.repetitions(5)[0]?.raw ?? '',
    receivingFacility: msh.repetitions(6)[0]?.raw ?? '',
    messageControlId: msh.value(10),
    processingId: msh.value(11),
    versionId: msh.value(12),
    // v2.3.1 senders may leave MSH-9.2 empty and put the event in EVN-1 (HL7 v2.3.1 §3.4.1.1).
    triggerEvent: msh.value(9, 2) || evn?.value(1) || undefined,
    characterSet: msh.value(18) || undefined,
    delimiters: message.delimiters,
  };
}
