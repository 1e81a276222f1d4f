/**
 * CANARY_MODEL_RETIREMENTS (changes to the shipped retirement table), CANARY_MODEL_LOOKUP, and a target's Entra
 * `scope`: parsed, validated, and every error naming the setting and the field.
 */
import { describe, expect, it } from 'vitest';
import { parseModelRetirements } from '../../src/config/modelRetirements.js';
import { loadSettings } from '../../src/config/settings.js';
import { parseTargets } from '../../src/config/targets.js';
import { findRetirement, MODEL_RETIREMENTS } from '../../src/realtime/lifecycle.js';

const base = {
  CANARY_TARGETS: JSON.stringify([
    {
      name: 'fr',
      endpoint: 'wss://x.openai.azure.com/openai/v1/realtime?model=m',
      auth: 'api-key',
      secretSetting: 'K',
    },
  ]),
  CANARY_OUTPUT_DIR: '/tmp/x',
};
const row = (over: Record<string, unknown>) =>
  JSON.stringify([
    { service: 'azure', model: 'gpt-realtime-mini', retiresOn: '2027-06-15', checkedOn: '2026-12-01', ...over },
  ]);

describe('CANARY_MODEL_RETIREMENTS', () => {
  it('is the shipped table when empty, and by default in the settings', () => {
    expect(parseModelRetirements(undefined)).toEqual(MODEL_RETIREMENTS);
    expect(parseModelRetirements('  ')).toEqual(MODEL_RETIREMENTS);
    expect(loadSettings(base).modelRetirements).toEqual(MODEL_RETIREMENTS);
  });

  it('replaces a shipped row, removes one with null and adds new ones', () => {
    const table = loadSettings({
      ...base,
      CANARY_MODEL_RETIREMENTS: JSON.stringify([
        {
          service: 'azure',
          model: 'GPT-Realtime-Mini',
          version: '2025-12-15',
          retiresOn: '2027-06-15',
          source: 'Azure notice of 2026-12-01',
          checkedOn: '2026-12-01',
          replacement: 'gpt-realtime-2.1-mini',
        },
        { service: 'openai', model: 'gpt-realtime', retiresOn: null },
        { service: 'openai', model: 'gpt-realtime-2', retiresOn: '2027-09-30', checkedOn: '2026-12-05' },
      ]),
    }).modelRetirements;
    expect(findRetirement(table, 'azure', 'gpt-realtime-mini-2025-12-15', '2026-12-07')!.row).toMatchObject({
      retiresOn: '2027-06-15',
      source: 'Azure notice of 2026-12-01',
      replacement: 'gpt-realtime-2.1-mini',
    });
    expect(findRetirement(table, 'openai', 'gpt-realtime', '2026-12-07')).toBeUndefined();
    expect(findRetirement(table, 'openai', 'gpt-realtime-2', '2026-12-07')!.row).toMatchObject({
      retiresOn: '2027-09-30',
      source: 'CANARY_MODEL_RETIREMENTS',
      checkedOn: '2026-12-05',
    });
  });

  it.each([
    ['{', /CANARY_MODEL_RETIREMENTS: is not valid JSON/],
    ['{"service":"azure"}', /CANARY_MODEL_RETIREMENTS: must be a JSON array of rows/],
    ['[1]', /CANARY_MODEL_RETIREMENTS\[0\]: must be an object/],
    [row({ when: 'soon' }), /CANARY_MODEL_RETIREMENTS\[0\]\.when: is not a known field/],
    [row({ service: 'google' }), /CANARY_MODEL_RETIREMENTS\[0\]\.service: must be "azure" or "openai"/],
    [row({ model: undefined }), /CANARY_MODEL_RETIREMENTS\[0\]\.model: is required/],
    [row({ model: 'gpt-realtime-mini-2025-12-15' }), /\[0\]\.model: must be a model name without its version/],
    [row({ model: 'gpt realtime' }), /\[0\]\.model: must be a model name/],
    [row({ version: '2025-13-01' }), /\[0\]\.version: must be a calendar day written YYYY-MM-DD/],
    [row({ retiresOn: undefined }), /\[0\]\.retiresOn: is required: a day \(YYYY-MM-DD\), or null/],
    [row({ retiresOn: '2026-02-30' }), /\[0\]\.retiresOn: must be a calendar day/],
    [row({ retiresOn: 20270615 }), /\[0\]\.retiresOn: must be a calendar day/],
    [row({ checkedOn: undefined }), /\[0\]\.checkedOn: is required: the day you checked/],
    [row({ source: '' }), /\[0\]\.source: must be a non-empty string/],
  ])('refuses %s naming the row and field', (raw, message) => {
    expect(() => loadSettings({ ...base, CANARY_MODEL_RETIREMENTS: raw })).toThrow(message);
  });
});

describe('CANARY_MODEL_LOOKUP', () => {
  it('is off by default, on or off when set, and refuses anything else', () => {
    expect(loadSettings(base).modelLookup).toBe(false);
    expect(loadSettings({ ...base, CANARY_MODEL_LOOKUP: 'ON' }).modelLookup).toBe(true);
    expect(loadSettings({ ...base, CANARY_MODEL_LOOKUP: 'off' }).modelLookup).toBe(false);
    expect(() => loadSettings({ ...base, CANARY_MODEL_LOOKUP: 'yes' })).toThrow(
      /CANARY_MODEL_LOOKUP: must be "on" or "off"/,
    );
  });
});

describe("a target's Entra scope", () => {
  const entra = (over: Record<string, unknown>) =>
    JSON.stringify([{ name: 'e', resource: 'r', deployment: 'd', auth: 'entra', ...over }]);

  it('takes either documented scope on an entra target', () => {
    expect(parseTargets(entra({ scope: 'https://ai.azure.com/.default' }))[0]!.scope).toBe(
      'https://ai.azure.com/.default',
    );
    expect(parseTargets(entra({}))[0]!.scope).toBeUndefined();
  });

  it.each([
    [
      { scope: 'https://ai.azure.com' },
      /CANARY_TARGETS\[0\]\.scope: must be an https:\/\/ resource scope ending in \/\.default/,
    ],
    [{ scope: 'http://ai.azure.com/.default' }, /\.scope: must be an https:\/\/ resource scope/],
    [{ scope: 'ai.azure.com/.default' }, /\.scope: must be an https:\/\/ resource scope/],
    [{ scope: 'https://ai.azure.com/.default', auth: 'none' }, /\.scope: applies to "auth": "entra" only/],
  ])('refuses %j naming the field', (over, message) => {
    expect(() => parseTargets(entra(over))).toThrow(message);
  });
});
