import { describe, expect, it } from 'vitest';
import { loadSettings, resolveSecret, validateNcrontab } from '../../src/config/settings.js';
import { parseTargets } from '../../src/config/targets.js';

const target = {
  name: 'fr',
  endpoint: 'wss://x.openai.azure.com/openai/v1/realtime?model=m',
  auth: 'api-key',
  secretSetting: 'KEY_FR',
};
const base = { CANARY_TARGETS: JSON.stringify([target]), CANARY_OUTPUT_DIR: '/tmp/x' };

describe('settings', () => {
  it('has documented defaults', () => {
    const s = loadSettings(base);
    expect(s).toMatchObject({
      region: 'local',
      schedule: '0 */10 * * * *',
      turns: 3,
      generationWindowMs: 8000,
      concurrency: 8,
      alertRule: { k: 2, n: 3, reminderHours: 6 },
      webhook: undefined,
      storage: { kind: 'local', dir: '/tmp/x' },
    });
    expect(s.targets![0]!.name).toBe('fr');
  });

  it('CANARY_REPORTS_HTTP is on or off (what the Bicep writes); anything else is refused naming it', () => {
    const site = { ...base, WEBSITE_HOSTNAME: 'canary-sweden.azurewebsites.net' };
    expect(loadSettings({ ...site, CANARY_REPORTS_HTTP: 'on' }).reportsSiteUrl).toBe(
      'https://canary-sweden.azurewebsites.net',
    );
    expect(loadSettings({ ...site, CANARY_REPORTS_HTTP: 'off' }).reportsSiteUrl).toBeUndefined();
    expect(loadSettings(site).reportsSiteUrl).toBeUndefined();
    expect(() => loadSettings({ ...site, CANARY_REPORTS_HTTP: 'yes' })).toThrow(
      /CANARY_REPORTS_HTTP: must be "on" or "off"/,
    );
  });

  it('picks the storage in order: connection string, account URL, local folder', () => {
    expect(loadSettings({ ...base, CANARY_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).storage.kind).toBe(
      'connection-string',
    );
    expect(
      loadSettings({ ...base, CANARY_STORAGE_ACCOUNT_URL: 'https://a.blob.core.windows.net/', AZURE_CLIENT_ID: 'c1' })
        .storage,
    ).toMatchObject({ kind: 'account-url', clientId: 'c1', container: 'reports' });
    expect(() => loadSettings({ CANARY_TARGETS: base.CANARY_TARGETS })).toThrow(
      /CANARY_STORAGE_ACCOUNT_URL: is required/,
    );
  });

  it.each([
    [{ CANARY_SCHEDULE: '0 */10 * * *' }, /CANARY_SCHEDULE: must have six fields/],
    [{ CANARY_SCHEDULE: '0 */10 * * * L' }, /CANARY_SCHEDULE: field "L"/],
    [{ CANARY_TURNS: 'three' }, /CANARY_TURNS: must be a whole number from 1 to 20/],
    [{ CANARY_GENERATION_WINDOW_MS: '60000' }, /CANARY_GENERATION_WINDOW_MS: must be a whole number from 0 to 30000/],
    [{ CANARY_ALERT_RULE: '3/2' }, /CANARY_ALERT_RULE: needs 1 ≤ K ≤ N/],
    [{ CANARY_WEBHOOK_FORMAT: 'slack' }, /CANARY_WEBHOOK_FORMAT: must be "teams", "json", "pagerduty".*"slack" is not/],
    [{ CANARY_THRESHOLDS: '[1]' }, /CANARY_THRESHOLDS: must be a JSON object/],
    [{ CANARY_CONTAINER: 'Bad_Name' }, /CANARY_CONTAINER: must be a valid container name/],
    [{ CANARY_TARGETS: '' }, /CANARY_TARGETS: is required/],
  ])('rejects %j naming the setting', (over, message) => {
    expect(() => loadSettings({ ...base, ...over })).toThrow(message);
  });

  it.each([
    ['not a url sig=secret-sig-123', /CANARY_WEBHOOK_URL: is not a URL/],
    ['ftp://secret-sig-123', /CANARY_WEBHOOK_URL: must be an https URL, got a ftp URL/],
    ['https://', /CANARY_WEBHOOK_URL: is not a URL/],
    ['http://hooks.example.com/x?sig=secret-sig-123', /CANARY_WEBHOOK_URL: must be an https URL, got a http URL/],
  ])(
    'a bad webhook URL (%s) disables alert delivery loudly without stopping the round or echoing the value',
    (url, message) => {
      const s = loadSettings({ ...base, CANARY_WEBHOOK_URL: url });
      expect(s.webhook).toBeUndefined();
      expect(s.problems.map((p) => p.message).join('\n')).toMatch(message);
      expect(s.problems[0]!.message).toMatch(/alert delivery is disabled/);
      expect(s.problems[0]!.message).not.toContain('secret-sig-123');
    },
  );

  it('accepts valid NCRONTAB and resolves secrets by reference only', () => {
    expect(() => validateNcrontab('0 0 9 * * 1-5')).not.toThrow();
    expect(() => validateNcrontab('*/30 * * * * *')).not.toThrow();
    expect(resolveSecret('KEY_FR', { KEY_FR: 'k' }, 't')).toBe('k');
    expect(() => resolveSecret('KEY_FR', {}, 'CANARY_TARGETS[0]')).toThrow(
      /CANARY_TARGETS\[0\]\.secretSetting: app setting "KEY_FR" is not set/,
    );
    expect(() =>
      resolveSecret('KEY_FR', { KEY_FR: '@Microsoft.KeyVault(SecretUri=https://v/secrets/x)' }, 't'),
    ).toThrow(/unresolved Key Vault reference/);
  });
});

describe('targets', () => {
  const parse = (targets: unknown[]) => () => parseTargets(JSON.stringify(targets));
  it.each([
    [[{ ...target, apiKey: 'sk-1' }], /CANARY_TARGETS\[0\]\.apiKey: secrets are not allowed inline/],
    [[{ ...target, color: 'red' }], /CANARY_TARGETS\[0\]\.color: is not a known field/],
    [[target, { ...target }], /CANARY_TARGETS\[1\]\.name: "fr" is used by more than one target/],
    [[{ ...target, name: 'a/b' }], /CANARY_TARGETS\[0\]\.name: must be/],
    [[{ ...target, secretSetting: undefined }], /CANARY_TARGETS\[0\]\.secretSetting: is required for auth "api-key"/],
    [[{ name: 'x', auth: 'none' }], /CANARY_TARGETS\[0\]\.endpoint: is required/],
    [[{ ...target, flavour: 'azure' }], /CANARY_TARGETS\[0\]\.flavour: must be one of/],
    [[{ ...target, turns: 0 }], /CANARY_TARGETS\[0\]\.turns: must be a whole number/],
    [[{ ...target, baseline: 'yes' }], /CANARY_TARGETS\[0\]\.baseline: must be true or false/],
    [[], /must be a non-empty JSON array/],
  ])('rejects %j naming the field', (targets, message) => {
    expect(parse(targets)).toThrow(message);
  });

  it('accepts entra targets by resource and deployment', () => {
    expect(
      parseTargets(
        JSON.stringify([
          { name: 'se', resource: 'myres', deployment: 'gpt-realtime', flavour: 'azure-ga', auth: 'entra', group: 'g' },
        ]),
      )[0],
    ).toMatchObject({ auth: 'entra', resource: 'myres' });
  });
});
