/**
 * MLLP framing (HL7 v2 Minimal Lower Layer Protocol, HL7 v2.5 Appendix C.4 / the MLLP Release 2 note;
 * used by ITI-8, ITI TF-2x Appendix C.2.1): a message travels as
 *
 *     <VT 0x0B> message bytes <FS 0x1C><CR 0x0D>
 *
 * TCP delivers a byte stream, so one read may hold part of a frame, one frame, or several. The decoder is a
 * small state machine fed with each chunk; it keeps no more than `maxFrameBytes` of one frame, so a sender
 * that never closes its frame cannot exhaust memory. Bytes outside a frame are counted and dropped (CR and
 * LF between frames are tolerated silently, many senders add them).
 */

export const START_BLOCK = 0x0b;
export const END_BLOCK = 0x1c;
export const CARRIAGE_RETURN = 0x0d;
const LINE_FEED = 0x0a;

/** How many leading bytes of an oversize frame are kept, so the reply can still quote its MSH-10. */
export const OVERSIZE_HEAD_BYTES = 1024;

export type MllpEvent =
  /** A complete frame's payload (between VT and FS). */
  | { kind: 'frame'; payload: Buffer }
  /** A frame longer than the limit, now ended: `head` is its first bytes, `size` its full length. */
  | { kind: 'oversize'; head: Buffer; size: number }
  /** Bytes that were not inside any frame (or a frame abandoned by a new VT), dropped. */
  | { kind: 'garbage'; bytes: number };

type State = 'idle' | 'frame' | 'afterEnd';

export class MllpDecoder {
  private state: State = 'idle';
  private chunks: Buffer[] = [];
  private size = 0;
  private oversize = false;
  private head: Buffer | undefined;

  constructor(private readonly maxFrameBytes: number) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1) throw new RangeError('maxFrameBytes must be a positive integer');
  }

  /** Feeds one chunk read from the socket; returns what it completed, in order. */
  push(chunk: Buffer): MllpEvent[] {
    const events: MllpEvent[] = [];
    let garbage = 0;
    const flushGarbage = (): void => {
      if (garbage > 0) events.push({ kind: 'garbage', bytes: garbage });
      garbage = 0;
    };
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'afterEnd') {
        // The CR after FS may arrive in a later read; swallow exactly one.
        this.state = 'idle';
        if (chunk[i] === CARRIAGE_RETURN) i++;
        continue;
      }
      if (this.state === 'idle') {
        const start = chunk.indexOf(START_BLOCK, i);
        const end = start === -1 ? chunk.length : start;
        for (let j = i; j < end; j++) {
          const b = chunk[j];
          if (b !== CARRIAGE_RETURN && b !== LINE_FEED) garbage++;
        }
        if (start === -1) break;
        flushGarbage();
        this.beginFrame();
        i = start + 1;
        continue;
      }
      // state === 'frame': look for FS, or a new VT (the sender gave up on the frame and started over).
      let stop = i;
      while (stop < chunk.length && chunk[stop] !== END_BLOCK && chunk[stop] !== START_BLOCK) stop++;
      this.append(chunk.subarray(i, stop));
      if (stop === chunk.length) break;
      if (chunk[stop] === START_BLOCK) {
        events.push({ kind: 'garbage', bytes: this.size });
        this.beginFrame();
        i = stop + 1;
        continue;
      }
      flushGarbage();
      events.push(this.endFrame());
      this.state = 'afterEnd';
      i = stop + 1;
    }
    flushGarbage();
    return events;
  }

  /** Bytes of an unfinished frame currently held (for diagnostics when a connection closes mid-frame). */
  get pendingBytes(): number {
    return this.state === 'frame' ? this.size : 0;
  }

  private beginFrame(): void {
    this.state = 'frame';
    this.chunks = [];
    this.size = 0;
    this.oversize = false;
    this.head = undefined;
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    const newSize = this.size + part.length;
    if (!this.oversize && newSize > this.maxFrameBytes) {
      // Keep only the head; the rest of the frame is counted, not stored.
      const kept = Buffer.concat([...this.chunks, part]);
      this.head = Buffer.from(kept.subarray(0, Math.min(OVERSIZE_HEAD_BYTES, kept.length)));
      this.chunks = [];
      this.oversize = true;
    } else if (!this.oversize) {
      // Copy: the socket may reuse the chunk's memory.
      this.chunks.push(Buffer.from(part));
    }
    this.size = newSize;
  }

  private endFrame(): MllpEvent {
    const event: MllpEvent = this.oversize
      ? { kind: 'oversize', head: this.head ?? Buffer.alloc(0), size: this.size }
      : { kind: 'frame', payload: Buffer.concat(this.chunks, this.size) };
    this.chunks = [];
    this.size = 0;
    this.oversize = false;
    this.head = undefined;
    return event;
  }
}

/** Wraps a payload in an MLLP frame. */
export function encodeMllpFrame(payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from([START_BLOCK]), body, Buffer.from([END_BLOCK, CARRIAGE_RETURN])]);
}
