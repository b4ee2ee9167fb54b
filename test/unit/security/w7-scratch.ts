import { createTestCa } from '../../../src/services/sts/test-ca.js';
import { issueIdwsToken, buildIdwsEnvelope } from '../../../src/services/sts/idws-issuer.js';
import { createSecurityStack, defaultPolicies } from '../../../src/security/index.js';
import { soapRequestFromXml } from '../../../src/security/soap-request-from-xml.js';
const ca = createTestCa();
const token = issueIdwsToken(ca, { audience: 'https://audience.nspop.dk/dds', holderOfKeyCertPem: ca.client.certPem, cpr: '0101011234', name: 'Karl', cvr: '12345678', systemName: 'EPJ', authorizationCode: 'ABC' });
const env = buildIdwsEnvelope({ tokenXml: token, action: 'urn:ihe:iti:2007:RegistryStoredQuery', bodyXml: '<q:Q xmlns:q="urn:q">x</q:Q>', holderOfKey: ca.client });
const stack = createSecurityStack({ trustedCertificatesPem: [ca.sts.certPem], clockSkewSeconds: 300, policies: defaultPolicies(), insecureDevelopment: false });
console.log(await stack.authenticate(soapRequestFromXml(env), 'xds-read'));
try { await stack.authenticate(soapRequestFromXml(env.replace('>x<', '>y<')), 'xds-read'); } catch (e) { console.log((e as any).detailXml, (e as any).message); }
