/**
 * Number formatting for finding messages and summaries: durations under a second in ms, longer ones in seconds
 * with one decimal, ratios as whole percent.
 */

/** "740 ms" or "2.3 s". */
export function dur(ms: number): string {
  return Math.abs(ms) < 999.5 ? `${Math.round(ms)} ms` : sec(ms);
}

/** Always seconds with one decimal: "0.4 s", "12.0 s" (for positions in the audio). */
export function sec(ms: number): string {
  return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
}

/** A longer span for people: "644 ms", "10 s", "1 min 26 s", "2 h 5 min". */
export function span(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** "80 %". */
export function pct(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

/**
 * Shortens a server-provided string for a one-sentence message: white space folded to one line, cut anywhere at
 * `max` (alerts keep line breaks and cut at a word: ../sinks/alerts/notificationText.ts `clipAtWord`).
 */
export function clip(text: string, max = 160): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** “quoted” text. */
export function quote(text: string): string {
  return `“${text}”`;
}

/** The end of `text`, at most about `max` characters, starting at a word: "…Eighteen. Nineteen." */
export function tail(text: string, max = 60): string {
  if (text.length <= max) return text;
  const cut = text.slice(-max);
  const space = cut.indexOf(' ');
  return `…${space >= 0 ? cut.slice(space + 1) : cut}`;
}

/** Request and correlation ids are UUIDs: kept, they are what support asks for. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Masks anything in service text that looks like a key or bearer token (`sk-…`, `Bearer …`, long runs of key
 * characters), as a last line of defence: the recorder already scrubs the configured secrets.
 */
export function maskKeys(text: string): string {
  return text
    .replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]')
    .replace(/\bsk-[A-Za-z0-9_-]{6,}/g, 'sk-[redacted]')
    .replace(/\b[A-Za-z0-9+/_-]{32,}={0,2}/g, (run) => (UUID.test(run) ? run : '[redacted]'));
}
