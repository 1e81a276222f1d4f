/** gzip for `events.jsonl.gz` (node:zlib, off the main thread's hot path via the async API). */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** UTF-8 text → gzip bytes. */
export function gzipText(text: string): Promise<Buffer> {
  return gzipAsync(Buffer.from(text, 'utf8'));
}

/** gzip bytes → UTF-8 text. */
export async function gunzipText(bytes: Buffer): Promise<string> {
  return (await gunzipAsync(bytes)).toString('utf8');
}
