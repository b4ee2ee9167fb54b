/**
 * The admin REST API described as OpenAPI 3.1 data (served at /admin/api/openapi.json). A test walks the
 * express routers and checks every route is documented here and every documented path exists.
 */
type Schema = Record<string, unknown>;

const errorBody: Schema = { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' } } };
const json = (schema: Schema) => ({ 'application/json': { schema } });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => ({ description, content: json(ref('Error')) });
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const query = (name: string, description: string, schema: Schema = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const paging = [query('limit', 'page size', { type: 'integer', minimum: 0 }), query('offset', 'entries to skip', { type: 'integer', minimum: 0 })];
const entryUuid = pathParam('entryUuid', 'the entryUUID (urn:uuid:…)');
const patientId = pathParam('patientId', 'the patient id as HL7 CX (id^^^&oid&ISO), URL-encoded');
const cpr = pathParam('cpr', 'the citizen CPR number (10 digits)');

function get(summary: string, ok: Schema, parameters: unknown[] = [], extra: Record<string, unknown> = {}) {
  return {
    get: {
      summary,
      parameters,
      responses: { '200': { description: 'OK', content: json(ok) }, '401': err('not logged in'), '404': err('not found or not available'), ...extra },
    },
  };
}

const obj: Schema = { type: 'object', additionalProperties: true };
const code: Schema = { type: 'object', properties: { code: { type: 'string' }, scheme: { type: 'string' }, display: { type: 'string' }, displaySource: { enum: ['metadata', 'code-list'] } } };
const documentSummary: Schema = {
  type: 'object',
  properties: {
    entryUuid: { type: 'string' },
    logicalId: { type: 'string' },
    uniqueId: { type: 'string' },
    version: { type: 'integer' },
    status: { enum: ['Approved', 'Deprecated', 'Submitted'] },
    title: { type: 'string' },
    mimeType: { type: 'string' },
    classCode: code,
    typeCode: code,
    formatCode: code,
    authors: { type: 'array', items: { type: 'string' } },
    creationTime: { type: 'object', properties: { value: { type: 'string' }, iso: { type: 'string' } } },
    size: { type: 'integer' },
  },
};

export function adminOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'xds-hub admin API',
      version: '1.0.0',
      description:
        'Inspection API behind the admin UI (/admin). Every call needs the session cookie from POST /login; ' +
        'state-changing calls (POST) also need the session CSRF token in the X-CSRF-Token header. Document content ' +
        'passes the same consent and audit hooks as ITI-43, under the admin user.',
    },
    servers: [{ url: '/admin/api' }],
    security: [{ session: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'xds_admin_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      },
      schemas: { Error: errorBody, Code: code, DocumentSummary: documentSummary },
    },
    paths: {
      '/login': {
        post: {
          summary: 'Log in; sets the session cookie and returns the CSRF token',
          security: [],
          requestBody: { required: true, content: json({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' } } }) },
          responses: {
            '200': { description: 'logged in', content: json({ type: 'object', properties: { user: { type: 'string' }, csrfToken: { type: 'string' } } }) },
            '400': err('body missing fields'),
            '401': err('wrong user name or password'),
            '415': err('not application/json'),
            '429': err('too many failed attempts for this user'),
          },
        },
      },
      '/logout': {
        post: { summary: 'End the session', security: [{ session: [], csrf: [] }], responses: { '200': { description: 'logged out', content: json(obj) }, '401': err('not logged in'), '403': err('CSRF token missing or wrong') } },
      },
      '/session': get('The current user and CSRF token', { type: 'object', properties: { user: { type: 'string' }, csrfToken: { type: 'string' } } }),
      '/openapi.json': get('This document', obj),
      '/overview': get('Object counts, adapters, queue depths, which optional stores are wired', obj),
      '/patients': get('Search patients by id / CPR prefix', { type: 'object', properties: { patients: { type: 'array', items: obj }, more: { type: 'boolean' } } }, [query('q', 'prefix of the patient id (CX.1: the CPR number in the Danish profile)'), ...paging]),
      '/patients/{patientId}': get('One patient', obj, [patientId]),
      '/patients/{patientId}/documents': get(
        "A patient's DocumentEntries, newest first",
        { type: 'object', properties: { total: { type: 'integer' }, documents: { type: 'array', items: ref('DocumentSummary') } } },
        [
          patientId,
          query('status', 'approved | deprecated | submitted | all, comma-separated'),
          query('classCode', 'class code(s), comma-separated'),
          query('typeCode', 'type code(s), comma-separated'),
          query('formatCode', 'format code(s), comma-separated'),
          query('from', 'creationTime from (inclusive), YYYY-MM-DD or DTM'),
          query('to', 'creationTime to (exclusive), YYYY-MM-DD or DTM'),
          query('allVersions', 'true: every version, not only the latest', { type: 'boolean' }),
          ...paging,
        ],
        { '400': err('bad filter') },
      ),
      '/patients/{patientId}/submission-sets': get("A patient's SubmissionSets", obj, [patientId]),
      '/patients/{patientId}/folders': get("A patient's Folders", obj, [patientId]),
      '/documents/{entryUuid}': get('A DocumentEntry in readable form (codes named, authors and HL7 fields split)', obj, [entryUuid]),
      '/documents/{entryUuid}/versions': get('Every version of the entry (same logicalID)', obj, [entryUuid]),
      '/documents/{entryUuid}/associations': get(
        'Associations around the entry as a graph',
        { type: 'object', properties: { focus: { type: 'string' }, nodes: { type: 'array', items: obj }, edges: { type: 'array', items: obj } } },
        [entryUuid],
      ),
      '/documents/{entryUuid}/preview': get('Text preview (text, XML, CDA) — passes the read hooks; PDF: the content URL', obj, [entryUuid], { '403': err('the consent hooks denied the read') }),
      '/documents/{entryUuid}/content': {
        get: {
          summary: 'The document bytes (download; inline for PDF) — passes the read hooks',
          parameters: [entryUuid, query('disposition', 'attachment (default) or inline (PDF only)')],
          responses: { '200': { description: 'the stored bytes', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }, '401': err('not logged in'), '403': err('the consent hooks denied the read'), '404': err('no such entry or no bytes') },
        },
      },
      '/submission-sets/{entryUuid}': get('A SubmissionSet with its members', obj, [entryUuid]),
      '/folders/{entryUuid}': get('A Folder with its documents', obj, [entryUuid]),
      '/consistency-checks': {
        ...get('Consistency check jobs (newest first)', obj),
        post: {
          summary: 'Start a consistency check (repository bytes vs. registry metadata)',
          security: [{ session: [], csrf: [] }],
          responses: { '202': { description: 'started; poll the job', content: json(obj) }, '401': err('not logged in'), '403': err('CSRF token missing or wrong') },
        },
      },
      '/consistency-checks/{id}': get('One consistency check: state, progress, findings', obj, [pathParam('id', 'job id')]),
      '/activity/transactions': get('Recent SOAP transactions (newest first)', obj, [query('limit', 'how many', { type: 'integer' })]),
      '/activity/errors': get('Error codes seen, with counts', obj),
      '/citizens/{cpr}/minlog': get("MinLog registrations about a citizen", obj, [cpr], { '400': err('not a CPR number') }),
      '/citizens/{cpr}/consents': get('Consent (Min Spærring) registrations of a citizen', obj, [cpr], { '400': err('not a CPR number') }),
    },
  };
}
