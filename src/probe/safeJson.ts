/**
 * JSON that cannot hurt the probe: a depth check that runs before `JSON.parse` (a 10 KB frame nested 10 000
 * levels deep must never reach the parser or, later, `JSON.stringify`) and strict base64 for audio deltas. The
 * trace file's stringify, which degrades a value it cannot serialize instead of throwing, is `safeStringify` in
 * src/trace/traceFile.ts.
 */

/** Deepest nesting the recorder parses; real Realtime events stay under 10 levels. */
export const MAX_JSON_DEPTH = 64;

/** True when `text` opens more than `max` nested objects/arrays. Linear; strings are skipped with indexOf. */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
      if (j === -1) return false; // unterminated string: JSON.parse will refuse it
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
  return false;
}

function isEscaped(text: string, quote: number): boolean {
  let n = 0;
  for (let k = quote - 1; k >= 0 && text.charCodeAt(k) === 92 /* \ */; k--) n++;
  return n % 2 === 1;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a base64 audio delta strictly: padded standard base64 of a whole number of samples (`sampleBytes`: 2 for
 * PCM16, 1 for G.711). Undefined when it is not (Buffer.from would silently decode garbage into noise).
 */
export function decodePcmBase64(s: string, sampleBytes: 1 | 2 = 2): Buffer | undefined {
  if (s.length % 4 !== 0 || !BASE64.test(s)) return undefined;
  const pcm = Buffer.from(s, 'base64');
  return pcm.length % sampleBytes === 0 ? pcm : undefined;
}
