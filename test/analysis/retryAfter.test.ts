/** The waits a service asks for: `Retry-After`, Azure's `retry-after-ms`, and "Please try again in 1m26.4s". */
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryAfterInText, retryAfterOfHeaders } from '../../src/analysis/retryAfter.js';
import { span } from '../../src/analysis/format.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-02T10:00:00Z');
  it('reads seconds and HTTP dates, never negative, undefined when unusable', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 17 ', now)).toBe(17_000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('retryAfterOfHeaders', () => {
  const now = Date.parse('2026-11-02T10:00:00Z');
  it('prefers retry-after-ms, in any case, then Retry-After; ignores garbage and waits over a day', () => {
    expect(retryAfterOfHeaders({ 'Retry-After-Ms': '12500', 'retry-after': '13' }, now)).toBe(12_500);
    expect(retryAfterOfHeaders({ 'retry-after': '13' }, now)).toBe(13_000);
    expect(retryAfterOfHeaders({ 'retry-after': 'Mon, 02 Nov 2026 10:01:00 GMT' }, now)).toBe(60_000);
    expect(retryAfterOfHeaders({ 'retry-after-ms': 'soon', 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterOfHeaders({ 'retry-after': '9999999' }, now)).toBeUndefined();
    expect(retryAfterOfHeaders({}, now)).toBeUndefined();
  });
});

describe('retryAfterInText', () => {
  it.each([
    ['Please try again in 1m26.4s. Visit https://platform.openai.com/account/rate-limits', 86_400],
    ['Please try again in 644ms.', 644],
    ['Rate limit reached for requests. Please try again in 10s.', 10_000],
    ['Please retry after 6 seconds.', 6000],
    ['Try again in 2 minutes', 120_000],
    ['Please try again in 1h2m3s.', 3_723_000],
    ['The server is overloaded or not ready yet. Please try again later.', undefined],
    [undefined, undefined],
  ])('%s → %s', (text, ms) => expect(retryAfterInText(text)).toBe(ms));
});

describe('span', () => {
  it('says a wait as people do', () => {
    expect([644, 10_000, 86_400, 3_600_000, 3_723_000].map(span)).toEqual([
      '644 ms',
      '10 s',
      '1 min 26 s',
      '1 h',
      '1 h 2 min',
    ]);
  });
});
