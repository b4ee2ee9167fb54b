/**
 * Sends an ITI-8 Patient Identity Feed message (HL7 v2.3.1 ADT^A01 over MLLP, ITI TF-2a §3.8) and
 * returns the acknowledgement code (MSA-1). Used by the demo to register its patient the way a PAS would.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { encodeMllpFrame, END_BLOCK } from '../patients/mllp-framing.js';
import { formatHl7Timestamp } from '../patients/hl7-ack.js';

export async function sendAdtA01(host: string, port: number, patientId: { id: string; oid: string }, name = 'Doe^Jane'): Promise<string> {
  const now = formatHl7Timestamp(new Date());
  const control = randomUUID().replace(/-/g, '').slice(0, 20);
  const message = [
    `MSH|^~\\&|XDS-HUB-DEMO|DEMO|XDS-HUB|XDS-HUB|${now}||ADT^A01^ADT_A01|${control}|P|2.3.1`,
    `EVN|A01|${now}`,
    `PID|||${patientId.id}^^^&${patientId.oid}&ISO||${name}||19700101|F`,
    `PV1||O`,
  ].join('\r');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no ACK from ${host}:${port} within 10 s`)));
    socket.on('connect', () => socket.write(encodeMllpFrame(message)));
    socket.on('data', (data: Buffer) => {
      chunks.push(data);
      const all = Buffer.concat(chunks);
      if (!all.includes(END_BLOCK)) return;
      socket.end();
      const ack = all.toString('utf8');
      resolve(/MSA\|([A-Z]{2})/.exec(ack)?.[1] ?? 'none');
    });
    socket.on('error', reject);
  });
}
