/**
 * A target's `every` and the session budgets: targets and the four global settings are validated with errors that
 * name the field or setting and never repeat a long value.
 */
import { describe, expect, it } from 'vitest';
import { formatEvery, parseEvery } from '../../src/config/every.js';
import { loadSettings } from '../../src/config/settings.js';
import { parseTargets } from '../../src/config/targets.js';

const target = { name: 'fr', resource: 'contoso-fr', deployment: 'gpt-realtime', auth: 'api-key', secretSetting: 'K' };
const targets = (extra: Record<string, unknown>) => JSON.stringify([{ ...target, ...extra }]);

describe('every', () => {
  it.each([
    ['5m', 300_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['90m', 5_400_000],
    ['1d', 86_400_000],
  ])('reads %s', (raw, ms) => {
    expect(parseEvery(raw, 'x')).toBe(ms);
    expect(parseTargets(targets({ every: raw }))[0]!.every).toBe(raw);
    expect(parseEvery(formatEvery(ms), 'x')).toBe(ms);
  });

  it.each([['0m'], ['30s'], ['2d'], ['25h'], ['five minutes'], ['5'], [''], [300]])('refuses %j', (raw) => {
    expect(() => parseTargets(targets({ every: raw }))).toThrow(
      /^CANARY_TARGETS\[0\]\.every: must be an interval like "5m", "30m" or "1h" \(1 minute to 1 day\)/,
    );
  });

  it('does not repeat a long value (a key pasted into the wrong field)', () => {
    const key = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    expect(() => parseTargets(targets({ every: key }))).toThrow(/got a 32-character value \(not shown\)/);
  });

  it('keeps every and the budgets on both halves of transport "both"', () => {
    const [ws, rtc] = parseTargets(targets({ transport: 'both', every: '30m', maxSessionsPerMinute: 4 }));
    expect([ws!.every, rtc!.every, rtc!.maxSessionsPerMinute]).toEqual(['30m', '30m', 4]);
  });
});

describe('session budgets', () => {
  it('reads the four target fields', () => {
    const [t] = parseTargets(
      targets({
        maxSessionsPerMinute: 3,
        maxSessionsPerDay: 500,
        keyMaxSessionsPerMinute: 50,
        keyMaxSessionsPerDay: 900,
      }),
    );
    expect(t).toMatchObject({
      maxSessionsPerMinute: 3,
      maxSessionsPerDay: 500,
      keyMaxSessionsPerMinute: 50,
      keyMaxSessionsPerDay: 900,
    });
  });

  it.each([
    ['maxSessionsPerMinute', 0, /maxSessionsPerMinute: must be a whole number of sessions from 1 to 100000$/],
    ['maxSessionsPerDay', 2.5, /maxSessionsPerDay: must be a whole number of sessions from 1 to 10000000$/],
    ['keyMaxSessionsPerMinute', '5', /keyMaxSessionsPerMinute: must be a whole number of sessions from 1 to 100000$/],
    ['keyMaxSessionsPerDay', -1, /keyMaxSessionsPerDay: must be a whole number/],
  ])('refuses %s = %j naming the field', (field, value, message) => {
    expect(() => parseTargets(targets({ [field]: value }))).toThrow(message);
  });

  it('reads the global settings, unset ones left to the shipped defaults', () => {
    const base = { CANARY_TARGETS: targets({}), CANARY_OUTPUT_DIR: '/tmp/x' };
    expect(loadSettings(base).quota).toEqual({
      deployment: { perMinute: undefined, perDay: undefined },
      key: { perMinute: undefined, perDay: undefined },
    });
    const s = loadSettings({
      ...base,
      CANARY_MAX_SESSIONS_PER_MINUTE: '3',
      CANARY_MAX_SESSIONS_PER_DAY: '700',
      CANARY_KEY_MAX_SESSIONS_PER_MINUTE: ' 40 ',
      CANARY_KEY_MAX_SESSIONS_PER_DAY: '950',
    });
    expect(s.quota).toEqual({ deployment: { perMinute: 3, perDay: 700 }, key: { perMinute: 40, perDay: 950 } });
  });

  it.each([
    [
      'CANARY_MAX_SESSIONS_PER_MINUTE',
      '0',
      /^CANARY_MAX_SESSIONS_PER_MINUTE: must be a whole number of sessions from 1 to 100000, got "0"$/,
    ],
    ['CANARY_MAX_SESSIONS_PER_DAY', '1e3x', /^CANARY_MAX_SESSIONS_PER_DAY: .* got "1e3x"$/],
    [
      'CANARY_KEY_MAX_SESSIONS_PER_MINUTE',
      'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
      /got a 40-character value \(not shown\)$/,
    ],
    [
      'CANARY_KEY_MAX_SESSIONS_PER_DAY',
      '20000000',
      /^CANARY_KEY_MAX_SESSIONS_PER_DAY: .* from 1 to 10000000, got "20000000"$/,
    ],
  ])('refuses %s=%s naming the setting', (name, value, message) => {
    expect(() => loadSettings({ CANARY_TARGETS: targets({}), CANARY_OUTPUT_DIR: '/tmp/x', [name]: value })).toThrow(
      message,
    );
  });
});
