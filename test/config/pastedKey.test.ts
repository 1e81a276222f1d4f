/**
 * A key pasted into the wrong setting is never repeated by the configuration error (nor by a problem that
 * disables a sink), for every setting src/config/ parses (test/helpers/pastedKey.ts): the error names the
 * setting and says what it got ("a 26-character value") instead. Short, plain values are still quoted, and
 * names — region, target, group — are refused when they hold a line break or look like a key.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadSettings } from '../../src/config/settings.js';
import { parseTargets } from '../../src/config/targets.js';
import { ConfigError } from '../../src/errors.js';
import { leaks } from '../helpers/secretScan.js';
import { closedTarget, configSettingNames, pastedKeyCases } from '../helpers/pastedKey.js';

const KEY = 'gw7Qm2Xr9Lp4Vt8Kc3Nb6Hd1Zs';
const DIR = join(tmpdir(), 'rc-pasted-key');
const BASE = { CANARY_TARGETS: JSON.stringify([closedTarget()]), CANARY_OUTPUT_DIR: DIR };

/** The message of what loadSettings threw, or of the problems it reported; `undefined` when it took the value. */
function outcome(env: Record<string, string>): { error?: ConfigError; problems: string[] } {
  try {
    return { problems: loadSettings(env).problems.map((p) => p.message) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { error: err, problems: [] };
  }
}

describe('a key pasted into the wrong setting', () => {
  it('knows every setting src/config parses, the ones of the audit among them', () => {
    const names = configSettingNames();
    for (const name of [
      'CANARY_TURNS',
      'CANARY_SCHEDULE',
      'CANARY_CONCURRENCY',
      'CANARY_DAILY_BUDGET_USD',
      'CANARY_FUNCTION_TIMEOUT',
      'CANARY_PRICES_BLOB',
      'CANARY_ALLOW_EVERY_SECOND',
      'CANARY_THRESHOLDS',
      'CANARY_REGION',
      'CANARY_TARGETS',
    ])
      expect(names).toContain(name);
    expect(names.length).toBeGreaterThanOrEqual(30);
  });

  it.each(pastedKeyCases(KEY, DIR, BASE).map((c) => [c.label, c] as const))(
    '%s: the error names the setting and never repeats the key',
    (_label, c) => {
      for (const env of [c.env, { ...c.env, AOAI_KEY: 'another-key-0123456789' }]) {
        const { error, problems } = outcome(env);
        for (const text of [error?.message ?? '', ...problems]) expect(leaks(text, KEY), text).toEqual([]);
        if (error) expect(error.message.startsWith(c.setting), error.message).toBe(true);
      }
    },
  );

  it('the settings of the audit are refused with what they got, not the value', () => {
    const expected: [string, RegExp][] = [
      ['CANARY_TURNS', /^CANARY_TURNS: must be a whole number from 1 to 20, got a 26-character value \(not shown\)$/],
      ['CANARY_SCHEDULE', /^CANARY_SCHEDULE: must have six fields .*, got 1: a 26-character value \(not shown\)$/],
      ['CANARY_DAILY_BUDGET_USD', /^CANARY_DAILY_BUDGET_USD: .* got a 26-character value \(not shown\)$/],
      ['CANARY_FUNCTION_TIMEOUT', /^CANARY_FUNCTION_TIMEOUT: must be a time span .* got a 26-character value/],
      ['CANARY_ALLOW_EVERY_SECOND', /^CANARY_ALLOW_EVERY_SECOND: must be true or false, got a 26-character value/],
      ['CANARY_PRICES_BLOB', /^CANARY_PRICES_BLOB: looks like a key or token, not a blob path/],
      ['CANARY_REGION', /^CANARY_REGION: holds the value of the secret app setting AOAI_KEY/],
    ];
    for (const [setting, message] of expected)
      expect(outcome({ ...BASE, AOAI_KEY: KEY, [setting]: KEY }).error?.message).toMatch(message);
    expect(outcome({ ...BASE, CANARY_THRESHOLDS: JSON.stringify({ [KEY]: 1 }) }).error?.message).toMatch(
      /^CANARY_THRESHOLDS\.<a 26-character name, not shown>: is not a known threshold/,
    );
  });

  it('short plain values are still quoted, so a typo is easy to see', () => {
    expect(outcome({ ...BASE, CANARY_TURNS: '3x' }).error?.message).toMatch(/got "3x"$/);
    expect(outcome({ ...BASE, CANARY_THRESHOLDS: '{"stallMinMS": 1}' }).error?.message).toMatch(
      /^CANARY_THRESHOLDS\.stallMinMS: is not a known threshold/,
    );
    expect(outcome({ ...BASE, CANARY_TARGETS: '[{"name": nope}]' }).error?.message).toMatch(
      /^CANARY_TARGETS: is not valid JSON \(unexpected character\)$/,
    );
  });
});

describe('names are checked against a safe character set', () => {
  it.each([
    ['a line break (a forged log line)', 'westeurope\r\nerror: everything is down'],
    ['a slash (another blob folder)', 'westeurope/../alerts'],
    ['a 26-character key', KEY],
    ['a 32-hex Azure key', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'],
  ])('a region with %s is refused without being repeated', (_what, region) => {
    const { error } = outcome({ ...BASE, CANARY_REGION: region });
    expect(error?.message).toMatch(/^CANARY_REGION: /);
    expect(error?.message).not.toContain(region.trim());
    expect(error?.message).not.toMatch(/[\r\n]/);
  });

  it('target names and groups alike; real names pass', () => {
    for (const field of ['name', 'group'])
      for (const bad of ['a\nb', KEY, `eu-${KEY}`])
        expect(() => parseTargets(JSON.stringify([closedTarget({ [field]: bad })]))).toThrow(
          new RegExp(`^CANARY_TARGETS\\[0\\]\\.${field}: `),
        );
    for (const name of ['swedencentral', 'aoai-swedencentral-gpt-realtime-2025-08-28', 'openai.direct_1'])
      expect(parseTargets(JSON.stringify([closedTarget({ name, group: name })]))[0]!.name).toBe(name);
    expect(outcome({ ...BASE, CANARY_REGION: 'eastus2' }).error).toBeUndefined();
    // a short, plain typo is shown
    expect(outcome({ ...BASE, CANARY_REGION: 'west europe' }).error?.message).toMatch(/got "west europe"$/);
  });
});
