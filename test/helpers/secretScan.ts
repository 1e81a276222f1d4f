/**
 * Finds a secret in text or files in every encoding it may take, independently of the scrubber's own list
 * (src/realtime/secretForms.ts): as given, JSON-escaped, URL-encoded, HTML-escaped, and inside any run of base64
 * or base64url text, decoded at each of the 4 character offsets (so the secret's bytes are found at any alignment
 * within a longer base64 text), and — for a token-like secret — any 10 characters of it. gzip files are scanned unzipped. Used by the tests of "no secret at any exit".
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The length of a part of a token-like secret that counts as a leak. */
const PART = 10;

/** The encodings of `secret` found in `text` (empty when none). */
export function leaks(text: string, secret: string): string[] {
  const found: string[] = [];
  const plain: [string, string][] = [
    ['as given', secret],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    [
      'JSON-escaped for a script block',
      JSON.stringify(secret)
        .slice(1, -1)
        .replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
    ],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ s: secret }).toString().slice(2)],
    ['HTML-escaped', html(secret)],
    ['HTML-attribute-escaped', html(secret).replace(/"/g, '&quot;').replace(/'/g, '&#39;')],
  ];
  for (const [name, form] of plain) if (text.includes(form)) found.push(name);
  // a token-like secret must not show in part either (an error quoting its first characters)
  if (/^[A-Za-z0-9_-]{20,}$/.test(secret))
    for (let i = 0; i + PART <= secret.length; i++)
      if (text.includes(secret.slice(i, i + PART))) {
        found.push(`${PART} characters of it`);
        break;
      }
  const bytes = Buffer.from(secret, 'utf8');
  for (const run of text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []) {
    const std = run.replace(/-/g, '+').replace(/_/g, '/');
    for (let offset = 0; offset < 4; offset++) {
      if (Buffer.from(std.slice(offset), 'base64').includes(bytes)) {
        found.push(run === std ? 'base64' : 'base64url');
        return found;
      }
    }
  }
  return found;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Each file under `dir` (recursively) with the encodings of each secret found in it: `{ file, secret, found }`. */
export async function scanFolder(
  dir: string,
  secrets: readonly string[],
): Promise<{ file: string; secret: string; found: string[] }[]> {
  const out: { file: string; secret: string; found: string[] }[] = [];
  for (const file of await filesUnder(dir)) out.push(...scanBytes(file, await readFile(join(dir, file)), secrets));
  return out;
}

/** The files under `dir`, recursively, as paths relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** The encodings of each secret found in one file's bytes (gunzipped first when gzip), with the file's name. */
export function scanBytes(
  file: string,
  bytes: Buffer,
  secrets: readonly string[],
): { file: string; secret: string; found: string[] }[] {
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('latin1');
  return secrets.map((secret) => ({ file, secret, found: [...leaks(text, secret), ...pathLeak(file, secret)] }));
}

function pathLeak(file: string, secret: string): string[] {
  return file.includes(secret) ? ['in the path'] : [];
}
