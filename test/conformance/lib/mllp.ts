/**
 * Patient Identity Feed as the NIST toolkit sends it (ITI TF-2a §3.8): HL7 v2.3.1 ADT^A01 over MLLP
 * (0x0B message 0x1C 0x0D, ITI TF-2x Appendix C), answered by an ACK whose MSA-1 must be AA.
 */
import net from 'node:net';
import { hl7Time } from './substitute.js';

/** Escapes HL7 delimiters inside a field component that is not meant to be split. */
function hl7Escape(s: string): string {
  return s.replace(/\\/g, '\\E\\').replace(/\|/g, '\\F\\').replace(/~/g, '\\R\\');
}

/** ADT^A01 with PID-3 = the CX patient id (`id^^^&oid&ISO`, its ^ and & are real CX/HD separators). */
export function adtA01(patientId: string, controlId: string, now: Date = new Date()): string {
  const ts = hl7Time(now);
  return [
    `MSH|^~\\&|XDSCONFORMANCE|NIST|XDSHUB|HUB|${ts}||ADT^A01|${hl7Escape(controlId)}|P|2.3.1`,
    `EVN|A01|${ts}`,
    `PID|||${patientId}||Conformance^Patient||19700101|M`,
    'PV1||O',
  ].join('\r');
}

export interface AckResult { ackCode: string; text: string; raw: string }

export function sendMllp(host: string, port: number, message: string, timeoutMs = 10_000): Promise<AckResult> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no MLLP answer within ${timeoutMs} ms`)); }, timeoutMs);
    sock.on('connect', () => sock.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'utf8'), Buffer.from([0x1c, 0x0d])])));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      const end = all.indexOf(Buffer.from([0x1c, 0x0d]));
      if (end < 0) return;
      clearTimeout(timer);
      sock.end();
      const start = all.indexOf(0x0b);
      const raw = all.subarray(start >= 0 ? start + 1 : 0, end).toString('utf8');
      resolve(parseAck(raw));
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); reject(new Error('MLLP connection closed without a framed answer')); });
  });
}

export function parseAck(raw: string): AckResult {
  const segs = raw.split(/\r\n|\r|\n/);
  const msa = segs.find((s) => s.startsWith('MSA|'));
  if (!msa) return { ackCode: '', text: 'no MSA segment', raw };
  const f = msa.split('|');
  const err = segs.find((s) => s.startsWith('ERR|'));
  return { ackCode: f[1] ?? '', text: [f[3] ?? '', err ?? ''].filter(Boolean).join(' '), raw };
}
