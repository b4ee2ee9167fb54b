/** A decoded Submission that is valid for a profile (generic: the builder's; dk: Danish values and codes). */
import { decodeSubmission } from '../../../src/xds/ebrim/decode-submission.js';
import type { Code, Submission } from '../../../src/xds/model/types.js';
import type { ValidationProfile } from '../../../src/xds/validate/profile.js';
import { parseXml } from '../../../src/xml/parse.js';
import { submissionXml } from '../ebrim/builders.js';

export const DK_PATIENT = '2512489996^^^&1.2.208.176.1.2&ISO';

export function dkCode(profile: ValidationProfile, list: string): Code {
  const [key] = [...profile.codeLists[list]!];
  const [scheme, code] = key!.split('|') as [string, string];
  return { code, scheme, display: 'display' };
}

/** A submission valid for the profile (generic: the builder's; dk: Danish values). */
export function validSubmission(profile: ValidationProfile): Submission {
  const s = decodeSubmission(parseXml(submissionXml({ folders: [{}], patientId: DK_PATIENT })));
  s.documents[0]!.uri = 'http://example.org/doc';
  s.documents[0]!.legalAuthenticator = '^Andersen^Anders^^^';
  if (profile.name === 'dk') {
    const d = s.documents[0]!;
    d.classCode = dkCode(profile, 'classCode');
    d.confidentialityCodes = [dkCode(profile, 'confidentialityCode')];
    d.eventCodes = [dkCode(profile, 'eventCodeList')];
    d.formatCode = dkCode(profile, 'formatCode');
    d.healthcareFacilityTypeCode = dkCode(profile, 'healthcareFacilityTypeCode');
    d.practiceSettingCode = dkCode(profile, 'practiceSettingCode');
    d.typeCode = dkCode(profile, 'typeCode');
    d.languageCode = 'da-DK';
    d.creationTime = '20141225212010';
    d.serviceStartTime = '20141225212010';
    d.serviceStopTime = '20141225212010';
    d.sourcePatientId = '2512489996^^^&1.2.208.176.1.2&ISO';
    d.sourcePatientInfo = ['PID-5|Berggren^Nancy^^^', 'PID-7|19481225', 'PID-8|F'];
    s.submissionSet.submissionTime = '20141225212010';
    for (const a of [...d.authors, ...s.submissionSet.authors]) {
      a.institutions = ['Odense Universitetshospital^^^^^&1.2.208.176.1.1&ISO^^^^8071000016009'];
      a.person = '^Andersen^Anders^Frederik&Ingolf^^^';
      a.roles = [];
      a.specialties = [];
    }
  }
  return s;
}

