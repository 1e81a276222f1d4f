/** Settings are validated completely at start: thresholds by their schema, schedules by range, secrets never echoed. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_CONFIG } from '../../src/analysis/config.js';
import { functionTimeoutFromHostJson, readHostFunctionTimeout } from '../../src/config/hostTimeout.js';
import { loadSettings } from '../../src/config/settings.js';
import { checkSettingName, looksLikeSecret } from '../../src/config/settingChecks.js';
import { parseTargets } from '../../src/config/targets.js';
import { parseThresholds, THRESHOLD_RANGES } from '../../src/config/thresholds.js';

const target = {
  name: 'fr',
  endpoint: 'wss://x.openai.azure.com/openai/v1/realtime?model=m',
  auth: 'api-key',
  secretSetting: 'KEY_FR',
};
const base = { CANARY_TARGETS: JSON.stringify([target]), CANARY_OUTPUT_DIR: '/tmp/x' };

describe('CANARY_THRESHOLDS schema', () => {
  it('has a range for every key of DEFAULT_DETECTION_CONFIG, and every default is inside its range', () => {
    for (const [key, value] of Object.entries(DEFAULT_DETECTION_CONFIG)) {
      const range = THRESHOLD_RANGES[key as keyof typeof THRESHOLD_RANGES];
      expect(range, `no range for ${key}`).toBeDefined();
      expect(value).toBeGreaterThanOrEqual(range.min);
      expect(value).toBeLessThanOrEqual(range.max);
    }
    expect(Object.keys(THRESHOLD_RANGES).sort()).toEqual(Object.keys(DEFAULT_DETECTION_CONFIG).sort());
  });

  it.each([
    ['{"frameMs": 0}', /CANARY_THRESHOLDS\.frameMs: must be from 5 to 100, got 0/],
    ['{"silenceDbfs": 200}', /CANARY_THRESHOLDS\.silenceDbfs: must be from -120 to -10, got 200/],
    ['{"minSilentGapMS": 800}', /CANARY_THRESHOLDS\.minSilentGapMS: is not a known threshold/],
    ['{"minSilentGapMs": "800"}', /CANARY_THRESHOLDS\.minSilentGapMs: must be a number, got "800"/],
    ['{"historyMinSamples": 2.5}', /CANARY_THRESHOLDS\.historyMinSamples: must be a whole number/],
    ['{"stallMinMs": 5000, "stallMaxMs": 2000}', /CANARY_THRESHOLDS\.stallMaxMs: must be at least stallMinMs/],
    ['{"reasoningMaxMs": 200}', /CANARY_THRESHOLDS\.reasoningMaxMs: must be from 500 to 120000, got 200/],
    ['{"formatRatioTolerance": 3}', /CANARY_THRESHOLDS\.formatRatioTolerance: must be from 1.01 to 2.4, got 3/],
    ['[1]', /CANARY_THRESHOLDS: must be a JSON object/],
    ['{bad', /CANARY_THRESHOLDS: must be a JSON object/],
  ])('refuses %s naming the key', (raw, message) => {
    expect(() => parseThresholds(raw)).toThrow(message);
    expect(() => loadSettings({ ...base, CANARY_THRESHOLDS: raw })).toThrow(message);
  });

  it('accepts valid overrides as numbers', () => {
    expect(
      loadSettings({
        ...base,
        CANARY_THRESHOLDS: '{"audioTokensPerSecond": 12.5, "minSilentGapMs": 800, "reasoningMaxMs": 15000}',
      }).thresholds,
    ).toEqual({ audioTokensPerSecond: 12.5, minSilentGapMs: 800, reasoningMaxMs: 15_000 });
  });
});

describe('CANARY_SCHEDULE', () => {
  it.each([
    ['99 99 99 * * *', /field "99" \(second\).*second must be from 0 to 59, got 99/],
    ['0 61 * * * *', /\(minute\).*got 61/],
    ['0 0 24 * * *', /\(hour\).*got 24/],
    ['0 0 0 0 * *', /\(day\).*got 0/],
    ['0 0 0 * 13 *', /\(month\).*got 13/],
    ['0 0 0 * * 8', /\(day-of-week\).*got 8/],
    ['0 10-5 * * * *', /runs backwards/],
    ['* * * * * *', /fires every second/],
    ['*/1 * * * * *', /fires every second/],
  ])('refuses %s naming the field', (schedule, message) => {
    expect(() => loadSettings({ ...base, CANARY_SCHEDULE: schedule })).toThrow(message);
  });

  it('accepts real schedules, names and an explicitly allowed every-second schedule', () => {
    for (const s of ['0 */10 * * * *', '0 0 9 * * 1-5', '*/30 * * * * *', '0 0 6 * jan-mar mon,fri'])
      expect(loadSettings({ ...base, CANARY_SCHEDULE: s }).schedule).toBe(s);
    expect(loadSettings({ ...base, CANARY_SCHEDULE: '* * * * * *', CANARY_ALLOW_EVERY_SECOND: 'true' }).schedule).toBe(
      '* * * * * *',
    );
    expect(() => loadSettings({ ...base, CANARY_ALLOW_EVERY_SECOND: 'yes please' })).toThrow(
      /CANARY_ALLOW_EVERY_SECOND: must be true or false/,
    );
  });
});

describe('connection strings and secret names', () => {
  it.each([
    ['garbage', /CANARY_STORAGE_CONNECTION_STRING: is not a storage connection string/],
    ['AccountName=a;Foo=bar', /CANARY_STORAGE_CONNECTION_STRING: has neither AccountKey nor SharedAccessSignature/],
    [
      'AccountName=a;AccountKey=k;BlobEndpoint=ftp//x',
      /CANARY_STORAGE_CONNECTION_STRING: has a BlobEndpoint that is not an http\(s\) URL/,
    ],
    // what the Storage SDK refuses when the store opens: an AccountKey without DefaultEndpointsProtocol, no suffix
    [
      'AccountName=a;AccountKey=c2VjcmV0',
      /^CANARY_STORAGE_CONNECTION_STRING: is refused by the Storage SDK \(Invalid BlobEndpoint\): an AccountKey needs DefaultEndpointsProtocol/,
    ],
    [
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0',
      /^CANARY_STORAGE_CONNECTION_STRING: is refused by the Storage SDK \(Invalid EndpointSuffix\); expected/,
    ],
  ])('refuses a storage connection string %s naming the setting, not the value', (cs, message) => {
    expect(() => loadSettings({ ...base, CANARY_STORAGE_CONNECTION_STRING: cs })).toThrow(message);
    expect(() =>
      loadSettings({
        ...base,
        CANARY_STORAGE_CONNECTION_STRING: `${cs};AccountKey=topsecretkey123;BlobEndpoint=ftp//x`,
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('topsecretkey123') }));
  });

  it('a bad App Insights connection string disables telemetry loudly, the round goes on', () => {
    const s = loadSettings({ ...base, APPLICATIONINSIGHTS_CONNECTION_STRING: 'IngestionEndpoint=https://x/' });
    expect(s.appInsightsConnectionString).toBeUndefined();
    expect(s.problems[0]!.message).toMatch(
      /APPLICATIONINSIGHTS_CONNECTION_STRING: has no InstrumentationKey.*telemetry is disabled/,
    );
  });

  it('refuses a key pasted into secretSetting, naming the field without printing the value', () => {
    const key = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const long = 'Fq7Z2xk9PqL0mN3vB8cR1tY6wE4uI5oAsDfGhJkLzXcVbNm12345';
    for (const pasted of [key, long, 'sk-proj-abc123def456ghi789']) {
      const attempt = () => parseTargets(JSON.stringify([{ ...target, secretSetting: pasted }]));
      expect(attempt).toThrow(
        /CANARY_TARGETS\[0\]\.secretSetting: looks like a key or token, not the name of an app setting/,
      );
      expect(attempt).toThrow(expect.objectContaining({ message: expect.not.stringContaining(pasted) }));
    }
    for (const name of ['KEY_FR', 'AOAI_KEY_SWEDENCENTRAL_2', 'OPENAI_API_KEY']) {
      expect(looksLikeSecret(name)).toBe(false);
      expect(() => checkSettingName(name, 'x')).not.toThrow();
    }
  });
});

describe('round deadline below the function timeout', () => {
  it('derives the deadline from host.json and refuses one without a safety margin', () => {
    expect(readHostFunctionTimeout()).toBe(10 * 60_000); // the repository's host.json
    expect(functionTimeoutFromHostJson('{"functionTimeout":"00:05:00"}')).toBe(300_000);
    expect(loadSettings(base, { functionTimeoutMs: 300_000 }).roundDeadlineMs).toBe(270_000);
    expect(loadSettings(base, { functionTimeoutMs: 600_000 }).roundDeadlineMs).toBe(540_000);
    expect(
      loadSettings({ ...base, CANARY_FUNCTION_TIMEOUT: '00:02:00' }, { functionTimeoutMs: 600_000 }).roundDeadlineMs,
    ).toBe(90_000);
    expect(() => loadSettings({ ...base, CANARY_ROUND_DEADLINE_MS: '590000' }, { functionTimeoutMs: 600_000 })).toThrow(
      /CANARY_ROUND_DEADLINE_MS: 590000 ms leaves no safety margin below the function timeout \(600000 ms\): at most 540000/,
    );
    expect(() => functionTimeoutFromHostJson('{"functionTimeout":"10 minutes"}')).toThrow(
      /host\.json\.functionTimeout: must be a time span/,
    );
  });
});
