import { describe, expect, it } from 'vitest';
import {
  alertStatePath,
  contentTypeFor,
  dailyIndexPath,
  fingerprintPath,
  latestPath,
  promptWavName,
  rtpLogName,
  runPaths,
  safeSegment,
  turnWavName,
} from '../../src/store/layout.js';

describe('blob layout', () => {
  it('lays out one run of one target under the round’s UTC day', () => {
    const p = runPaths('20261102T235930Z-ab12', '2026-11-02T23:59:30Z', 'swedencentral', 'aoai-sweden');
    expect(p.dir).toBe('runs/2026/11/02/20261102T235930Z-ab12/swedencentral/aoai-sweden/');
    expect(p.events).toBe(`${p.dir}events.jsonl.gz`);
    expect(p.dir + turnWavName(3)).toBe(`${p.dir}turn-3.wav`);
    expect(p.dir + promptWavName(0)).toBe(`${p.dir}prompt-0.wav`);
    expect(p.dir + rtpLogName(2)).toBe(`${p.dir}rtp-2.bin`);
    expect(p.reportJson).toBe(`${p.dir}report.json`);
    expect(p.reportHtml).toBe(`${p.dir}report.html`);
    expect(() => turnWavName(-1)).toThrow(RangeError);
    // A time with an offset is converted to UTC: still 2 November in UTC.
    expect(runPaths('r', '2026-11-03T01:00:00+02:00', 'x', 'y').dir).toBe('runs/2026/11/02/r/x/y/');
  });

  it('names latest, index and state paths', () => {
    expect(latestPath('swedencentral', 'openai')).toBe('latest/swedencentral/openai.json');
    expect(dailyIndexPath(new Date('2026-01-05T00:00:00Z'))).toBe('index/2026-01-05.jsonl');
    expect(alertStatePath('francecentral', 'aoai-fr')).toBe('state/francecentral/aoai-fr.json');
    expect(fingerprintPath('francecentral', 'aoai-fr')).toBe('fingerprint/francecentral/aoai-fr.json');
    expect(() => dailyIndexPath('not a date')).toThrow(RangeError);
  });

  it('makes any name a safe, distinct path segment', () => {
    expect(safeSegment('aoai-sweden_2.v1')).toBe('aoai-sweden_2.v1');
    const spaced = safeSegment('gpt realtime');
    const slashed = safeSegment('gpt/realtime');
    expect(spaced).toMatch(/^gpt-realtime-[0-9a-f]{8}$/);
    expect(slashed).toMatch(/^gpt-realtime-[0-9a-f]{8}$/);
    expect(spaced).not.toBe(slashed);
    for (const evil of ['..', '.', '', '../../etc/passwd', 'a\\b', '%2e%2e', 'ü', '🔥', 'x'.repeat(500), '-.-']) {
      const s = safeSegment(evil);
      expect(s).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
      expect(s.length).toBeLessThanOrEqual(80);
      expect(s).not.toMatch(/^\.+$/);
    }
    expect(latestPath('../x', 'a/b')).toMatch(/^latest\/x-[0-9a-f]{8}\/a-b-[0-9a-f]{8}\.json$/);
  });

  it('knows the content types of the layout', () => {
    expect(contentTypeFor('index/2026-11-02.jsonl')).toBe('application/x-ndjson');
    expect(contentTypeFor('x/events.jsonl.gz')).toBe('application/gzip');
    expect(contentTypeFor('x/turn-1.wav')).toBe('audio/wav');
    expect(contentTypeFor('x/report.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('x/noext')).toBe('application/octet-stream');
  });
});
