import { describe, expect, it } from 'vitest';
import { encodePath, escapeAttr, escapeText, jsonForScript } from '../../src/report/escape.js';
import { reportHref } from '../../src/report/fleetStrips.js';
import { HOSTILE } from './fixtures.js';

describe('escaping', () => {
  it('escapes text so markup stays text', () => {
    expect(escapeText(HOSTILE)).toBe(
      '&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;"\'&amp;&lt;/textarea&gt;&lt;/script&gt;',
    );
    expect(escapeText(null)).toBe('');
    expect(escapeText(42)).toBe('42');
  });

  it('escapes attribute values, quotes included', () => {
    expect(escapeAttr('a"b\'c<d>&')).toBe('a&quot;b&#39;c&lt;d&gt;&amp;');
  });

  it('writes JSON that cannot leave its script element and parses back unchanged', () => {
    const value = { s: HOSTILE, sep: '\u2028\u2029', n: [1, null] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('encodes path segments but keeps the slashes', () => {
    expect(encodePath('runs/a b/c#d?.wav')).toBe('runs/a%20b/c%23d%3F.wav');
    expect(encodePath('../x/turn-1.wav')).toBe('../x/turn-1.wav');
  });

  it('links only plain relative report paths', () => {
    expect(reportHref('runs/2026/11/02/r1/swe/t/report.html')).toBe('runs/2026/11/02/r1/swe/t/report.html');
    expect(reportHref('javascript:alert(1)')).toBe('');
    expect(reportHref('https://evil.example/x.html')).toBe('');
    expect(reportHref('/etc/passwd')).toBe('');
    expect(reportHref('runs/../../x')).toBe('');
    expect(reportHref(undefined)).toBe('');
  });
});
