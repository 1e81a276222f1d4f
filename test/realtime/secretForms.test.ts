/**
 * The scrubber with the secrets we know: a key that looks like no key (a 26-character gateway key), a webhook URL
 * and its signature, a key with characters that every encoding changes — each found and removed as given,
 * JSON-escaped (once and twice), URL-encoded, HTML-escaped, and in base64 or base64url, alone or inside a longer
 * base64 text at every alignment. The check (test/helpers/secretScan.ts) decodes on its own; it does not reuse the
 * scrubber's list of forms.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { scrub } from '../../src/realtime/redact.js';
import { base64Cores, secretForms } from '../../src/realtime/secretForms.js';
import { escapeAttr, escapeText, jsonForScript } from '../../src/report/escape.js';
import { leaks } from '../helpers/secretScan.js';

const GATEWAY_KEY = 'gw7Qm2Xr9Lp4Vt8Kc3Nb6Hd1Zs'; // 26 characters: no key pattern matches it
const SIG = 'Xy7-ab_CD9efGHij0KLmnOPqr1STuvWXyz2ABcdEFgh3';
const WEBHOOK = `https://contoso.webhook.office.com/webhookb2/a1b2/IncomingWebhook/c3d4?api-version=1&sig=${SIG}`;
const ODD = 'k"e<y>&/+ with space';

function encodings(secret: string): [string, string][] {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const url = (s: string): string => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const out: [string, string][] = [
    ['as given', secret],
    ['JSON', JSON.stringify({ message: secret })],
    ['JSON in JSON', JSON.stringify({ raw: JSON.stringify({ message: secret }) })],
    ['URL-encoded', `https://x/?q=${encodeURIComponent(secret)}`],
    ['form-encoded', new URLSearchParams({ q: secret }).toString()],
    ['HTML text', `<td>${escapeText(secret)}</td>`],
    ['HTML attribute', `<td title="${escapeAttr(secret)}">`],
    ['JSON in a script block', `<script type="application/json">${jsonForScript({ message: secret })}</script>`],
  ];
  // the secret's bytes at every offset of a longer base64 text (Basic auth, an echoed blob, audio-like payloads)
  for (let pre = 0; pre < 6; pre++) {
    const text = `${'p'.repeat(pre)}user:${secret}:trailing text`;
    out.push([`base64, ${pre} bytes before`, b64(text)], [`base64url, ${pre} bytes before`, url(b64(text))]);
  }
  out.push(['base64 alone', b64(secret)], ['base64 in JSON', JSON.stringify({ blob: b64(`{"key":"${secret}"}`) })]);
  return out;
}

describe('the scrubber with the secrets we know', () => {
  it.each([
    ['a 26-character gateway key', GATEWAY_KEY],
    ['a webhook URL', WEBHOOK],
    ['a webhook signature', SIG],
    ['a key with characters every encoding changes', ODD],
  ])('finds %s in every encoding', (_what, secret) => {
    for (const [how, text] of encodings(secret)) {
      expect(leaks(text, secret), `the test's own check sees it ${how}`).not.toEqual([]);
      const out = scrub(`before ${text} after`, [secret]);
      expect(leaks(out, secret), how).toEqual([]);
      expect(out, how).toMatch(/^before .*\[redacted\].* after$/s);
    }
  });

  it('scrubs a URL with its signature whole, whichever secret is listed first', () => {
    for (const secrets of [
      [SIG, WEBHOOK],
      [WEBHOOK, SIG],
    ])
      expect(scrub(`posted to ${WEBHOOK}.`, secrets)).toBe('posted to [redacted].');
  });

  it('leaves other text alone: random base64 and short values are not touched', () => {
    const audio = randomBytes(96_000).toString('base64');
    expect(scrub(audio, [GATEWAY_KEY, SIG])).toBe(audio);
    expect(scrub('turns 3, port 8080', ['3', '80'])).toBe('turns 3, port 8080');
    // a short secret is scrubbed as given only: its base64 would be too short to tell from chance
    expect(secretForms('abcdefg')).toEqual(['abcdefg']);
  });

  it('base64 cores depend on the secret bytes only, at every alignment', () => {
    const bytes = Buffer.from(GATEWAY_KEY);
    const cores = base64Cores(bytes);
    expect(cores).toHaveLength(3);
    for (let a = 0; a < 3; a++) {
      for (const fill of [0x00, 0xff, 0x5a]) {
        const text = Buffer.concat([Buffer.alloc(a + 3, fill), bytes, Buffer.alloc(4, fill)]).toString('base64');
        expect(text).toContain(cores[a]);
      }
    }
  });
});
