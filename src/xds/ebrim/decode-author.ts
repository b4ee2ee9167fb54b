/** The Author classification (ITI TF-3 §4.2.3.1.4): authorPerson (0..1), institution/role/specialty/telecom (0..*). */
import type { Author } from '../model/types.js';
import type { XmlElement } from '../../xml/tree.js';
import { fail, readSlots, type DecodeContext } from './read-rim.js';

const AUTHOR_SLOTS = new Set([
  'authorPerson',
  'authorInstitution',
  'authorRole',
  'authorSpecialty',
  'authorTelecommunication',
]);

export function decodeAuthor(cl: XmlElement, ctx: DecodeContext): Author {
  const c: DecodeContext = { ...ctx, label: `${ctx.label} author` };
  // ITI TF-3 §4.2.3.1.4: nodeRepresentation shall be the empty string.
  if (cl.attrs.nodeRepresentation) fail(c, `nodeRepresentation must be empty, got "${cl.attrs.nodeRepresentation}"`);
  const slots = readSlots(cl, c);
  const byName = new Map(slots.map((s) => [s.name, s.values]));
  for (const s of slots) if (!AUTHOR_SLOTS.has(s.name)) fail(c, `unexpected Slot "${s.name}"`);
  const person = byName.get('authorPerson');
  if (person && person.length > 1) fail(c, `authorPerson must have at most one value, has ${person.length}`);
  const author: Author = {
    institutions: byName.get('authorInstitution') ?? [],
    roles: byName.get('authorRole') ?? [],
    specialties: byName.get('authorSpecialty') ?? [],
    telecoms: byName.get('authorTelecommunication') ?? [],
  };
  if (person?.[0] !== undefined) author.person = person[0];
  if (cl.attrs.id) author.classificationId = cl.attrs.id;
  return author;
}
