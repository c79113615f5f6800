// A bounded tail of a byte stream (FFmpeg's stderr): memory stays at `limitBytes` however much is pushed,
// because a child writing gigabytes of log must not affect the runner (contract §9, reliability §5).

export interface TailBuffer {
  /** Appends bytes; only the last `limitBytes` of everything pushed are kept. */
  push(chunk: Uint8Array): void;
  /** The kept bytes as UTF-8, never starting in the middle of a character cut off by the limit. */
  text(): string;
}

/** The most bytes one UTF-8 character can continue over after its lead byte. */
const MAX_CONTINUATION_BYTES = 3;

export function createTailBuffer(limitBytes = 65536): TailBuffer {
  if (!Number.isSafeInteger(limitBytes) || limitBytes <= 0) throw new RangeError(`invalid tail limit: ${limitBytes}`);
  // A ring: each pushed byte is copied at most once, so pushing n bytes costs O(n), never O(n * limit).
  const ring = new Uint8Array(limitBytes);
  let start = 0; // index of the oldest kept byte
  let length = 0; // number of kept bytes
  let truncated = false; // whether older bytes were dropped (only then can the first character be cut)

  return {
    push(chunk) {
      if (chunk.length === 0) return;
      if (length + chunk.length > limitBytes) truncated = true;
      // Of a chunk longer than the ring only its last limitBytes can survive: skip the rest outright.
      const bytes = chunk.length > limitBytes ? chunk.subarray(chunk.length - limitBytes) : chunk;
      const end = (start + length) % limitBytes;
      const firstPart = Math.min(bytes.length, limitBytes - end);
      ring.set(bytes.subarray(0, firstPart), end);
      ring.set(bytes.subarray(firstPart), 0);
      const kept = length + bytes.length;
      if (kept > limitBytes) {
        start = (start + kept - limitBytes) % limitBytes;
        length = limitBytes;
      } else {
        length = kept;
      }
    },
    text() {
      const linear = new Uint8Array(length);
      const firstPart = Math.min(length, limitBytes - start);
      linear.set(ring.subarray(start, start + firstPart), 0);
      linear.set(ring.subarray(0, length - firstPart), firstPart);
      // Continuation bytes (10xxxxxx) at the front are the remains of a character whose lead byte was
      // dropped; skip them (at most 3: more than that was never valid UTF-8 and decodes as U+FFFD anyway).
      let skip = 0;
      if (truncated) {
        while (skip < MAX_CONTINUATION_BYTES && skip < linear.length && isContinuation(linear[skip])) skip += 1;
      }
      return new TextDecoder('utf-8').decode(linear.subarray(skip));
    },
  };
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}
