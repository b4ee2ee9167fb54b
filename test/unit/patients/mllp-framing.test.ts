import { describe, expect, it } from 'vitest';
import { MllpDecoder, OVERSIZE_HEAD_BYTES, encodeMllpFrame, type MllpEvent } from '../../../src/patients/mllp-framing.js';

const A = 'MSH|^~\\&|A|B|C|D|20250101||ADT^A01|1|P|2.5\rPID|||X^^^&1.2.3&ISO\r';
const B = 'MSH|^~\\&|A|B|C|D|20250101||ADT^A08|2|P|2.5\rPID|||Y^^^&1.2.3&ISO\r';

function frames(events: MllpEvent[]): string[] {
  return events.filter((e) => e.kind === 'frame').map((e) => (e as { payload: Buffer }).payload.toString('utf8'));
}

function feed(decoder: MllpDecoder, chunks: Buffer[]): MllpEvent[] {
  return chunks.flatMap((c) => decoder.push(c));
}

describe('MllpDecoder', () => {
  it('decodes one frame delivered in one read', () => {
    expect(frames(new MllpDecoder(1 << 20).push(encodeMllpFrame(A)))).toEqual([A]);
  });

  it('decodes two frames split into two reads at every byte position', () => {
    const stream = Buffer.concat([encodeMllpFrame(A), encodeMllpFrame(B)]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new MllpDecoder(1 << 20);
      const events = feed(decoder, [stream.subarray(0, cut), stream.subarray(cut)]);
      expect(frames(events), `cut at ${cut}`).toEqual([A, B]);
      expect(events.some((e) => e.kind === 'garbage'), `cut at ${cut}`).toBe(false);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('decodes a frame delivered one byte per read', () => {
    const decoder = new MllpDecoder(1 << 20);
    const stream = encodeMllpFrame(A);
    const events = feed(decoder, [...stream].map((b) => Buffer.from([b])));
    expect(frames(events)).toEqual([A]);
  });

  it('decodes several frames in one read, in order', () => {
    const stream = Buffer.concat([encodeMllpFrame(A), encodeMllpFrame(B), encodeMllpFrame(A)]);
    expect(frames(new MllpDecoder(1 << 20).push(stream))).toEqual([A, B, A]);
  });

  it('drops and counts garbage before and between frames, and reports it in stream order', () => {
    const stream = Buffer.concat([Buffer.from('junk'), encodeMllpFrame(A), Buffer.from('xy'), encodeMllpFrame(B)]);
    const events = new MllpDecoder(1 << 20).push(stream);
    expect(events.map((e) => e.kind)).toEqual(['garbage', 'frame', 'garbage', 'frame']);
    expect(events[0]).toEqual({ kind: 'garbage', bytes: 4 });
    expect(events[2]).toEqual({ kind: 'garbage', bytes: 2 });
    expect(frames(events)).toEqual([A, B]);
  });

  it('tolerates CR/LF between frames silently', () => {
    const stream = Buffer.concat([encodeMllpFrame(A), Buffer.from('\r\n\n'), encodeMllpFrame(B)]);
    const events = new MllpDecoder(1 << 20).push(stream);
    expect(events.map((e) => e.kind)).toEqual(['frame', 'frame']);
  });

  it('accepts a frame whose trailing CR comes in the next read', () => {
    const decoder = new MllpDecoder(1 << 20);
    const f = encodeMllpFrame(A);
    const first = decoder.push(f.subarray(0, f.length - 1));
    expect(frames(first)).toEqual([A]);
    const second = decoder.push(Buffer.concat([f.subarray(f.length - 1), encodeMllpFrame(B)]));
    expect(second.map((e) => e.kind)).toEqual(['frame']);
    expect(frames(second)).toEqual([B]);
  });

  it('abandons a frame when a new start block arrives inside it', () => {
    const stream = Buffer.concat([Buffer.from([0x0b]), Buffer.from('MSH|partial'), encodeMllpFrame(B)]);
    const events = new MllpDecoder(1 << 20).push(stream);
    expect(events[0]).toEqual({ kind: 'garbage', bytes: 'MSH|partial'.length });
    expect(frames(events)).toEqual([B]);
  });

  it('reports an oversize frame once it ends, keeping only its head, and recovers for the next frame', () => {
    const big = 'MSH|^~\\&|A|B|C|D|x||ADT^A01|BIG1|P|2.5\r' + 'Z'.repeat(5000);
    const decoder = new MllpDecoder(2000);
    const stream = Buffer.concat([encodeMllpFrame(big), encodeMllpFrame(A)]);
    // in 100-byte reads, so the limit is crossed in the middle of a chunk
    const events: MllpEvent[] = [];
    for (let i = 0; i < stream.length; i += 100) events.push(...decoder.push(stream.subarray(i, i + 100)));
    expect(events.map((e) => e.kind)).toEqual(['oversize', 'frame']);
    const over = events[0] as { kind: 'oversize'; head: Buffer; size: number };
    expect(over.size).toBe(Buffer.byteLength(big));
    expect(over.head.length).toBe(OVERSIZE_HEAD_BYTES);
    expect(over.head.toString('latin1').startsWith('MSH|^~\\&|A|B|C|D|x||ADT^A01|BIG1|')).toBe(true);
    expect(frames(events)).toEqual([A]);
  });

  it('does not hold more than the limit for a frame that never ends', () => {
    const decoder = new MllpDecoder(1000);
    decoder.push(Buffer.from([0x0b]));
    for (let i = 0; i < 100; i++) decoder.push(Buffer.alloc(1000, 0x41));
    expect(decoder.pendingBytes).toBe(100_000);
    // internal storage: only the head is kept (checked through the event when it finally ends)
    const [event] = decoder.push(Buffer.from([0x1c, 0x0d]));
    expect(event).toMatchObject({ kind: 'oversize', size: 100_000 });
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new MllpDecoder(0)).toThrow(RangeError);
  });
});
