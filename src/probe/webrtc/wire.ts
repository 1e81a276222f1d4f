/**
 * Small pure pieces of the WebRTC transport: reading the ephemeral key, what makes an SDP answer unusable, the
 * unified multipart form, cutting prompt audio into 20 ms frames, and waiting on a werift event with a deadline.
 */
import { FRAME_BYTES } from '../../media/frames.js';

/** The unified `/realtime/calls` form: the SDP offer and the session, posted with the standard key. */
export function unifiedForm(
  standard: Record<string, string>,
  offer: string,
  session: object,
): { headers: Record<string, string>; body: string } {
  const boundary = `----canary${Math.random().toString(16).slice(2)}`;
  const part = (name: string, type: string, body: string): string =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: ${type}\r\n\r\n${body}\r\n`;
  const body =
    part('sdp', 'application/sdp', offer) +
    part('session', 'application/json', JSON.stringify(session)) +
    `--${boundary}--\r\n`;
  return { headers: { ...standard, 'content-type': `multipart/form-data; boundary=${boundary}` }, body };
}

/** Whether a `response.created` announces audio (absent modalities: the session's, audio by default). */
export function speaks(event: Record<string, unknown>): boolean {
  const m = (event.response as { output_modalities?: unknown } | undefined)?.output_modalities;
  return !Array.isArray(m) || m.includes('audio');
}

export function parseValue(text: string): string | undefined {
  try {
    const v =
      (JSON.parse(text) as { value?: unknown; client_secret?: { value?: unknown } }).value ??
      (JSON.parse(text) as { client_secret?: { value?: unknown } }).client_secret?.value;
    return typeof v === 'string' && v.length > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the service's SDP answer cannot set up a call, or undefined when it can be tried: SDP at all (`v=0` first), an
 * audio section, ICE credentials and a DTLS fingerprint — without any of them the media path is never tried, so a
 * failure is the answer's, not the network's.
 */
export function sdpAnswerProblem(sdp: string): string | undefined {
  if (!/^v=0\r?$/m.test(sdp.trimStart().split('\n', 1)[0] ?? ''))
    return 'the SDP answer is not SDP (its first line is not "v=0")';
  if (!/^m=audio /m.test(sdp)) return 'the SDP answer has no audio section (m=audio)';
  if (!/^a=ice-ufrag:/m.test(sdp) || !/^a=ice-pwd:/m.test(sdp))
    return 'the SDP answer has no ICE credentials (a=ice-ufrag, a=ice-pwd)';
  if (!/^a=fingerprint:/m.test(sdp)) return 'the SDP answer has no DTLS fingerprint (a=fingerprint)';
  return undefined;
}

/** One 20 ms frame from the head of `queue` (consumed in place); undefined when empty. */
export function takeFrame(queue: Buffer[]): Buffer | undefined {
  if (!queue.length) return undefined;
  const parts: Buffer[] = [];
  let need = FRAME_BYTES;
  while (need > 0 && queue.length) {
    const head = queue[0]!;
    if (head.length <= need) {
      parts.push(head);
      queue.shift();
      need -= head.length;
    } else {
      parts.push(head.subarray(0, need));
      queue[0] = head.subarray(need);
      need = 0;
    }
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

interface Watchable<T> {
  watch(cb: (v: T) => boolean, timeLimit?: number): Promise<[T]>;
}

/** Resolves true when `already`, or when the event matches `until` within `ms`; false on the deadline. */
export async function waitFor<T>(
  already: boolean,
  ev: Watchable<T>,
  until: (v: T) => boolean,
  ms: number,
): Promise<boolean> {
  if (already) return true;
  if (ms <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([ev.watch((v) => until(v)).then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
