/**
 * Where notifications go, from the settings: CANARY_WEBHOOK_FORMAT's list, the PagerDuty routing key (a secret:
 * errors name the setting, never the value), and the problems that disable one channel but not the round.
 */
import { describe, expect, it } from 'vitest';
import { loadAlertChannels, PAGERDUTY_EVENTS_URL } from '../../src/config/alertChannels.js';
import { loadSettings } from '../../src/config/settings.js';

const KEY = 'Abc123def456ghi789jkl012mno345pq';
const HOOK = 'https://prod.workflows.example/hook?sig=SECRETSIG';

describe('alert channels', () => {
  it('posts to the webhook as a Teams card by default', () => {
    expect(loadAlertChannels({ CANARY_WEBHOOK_URL: HOOK })).toEqual({
      webhook: { url: HOOK, format: 'teams' },
      chatFormat: 'teams',
      pagerDuty: undefined,
      paging: false,
      problems: [],
    });
    expect(loadAlertChannels({})).toMatchObject({ webhook: undefined, chatFormat: 'teams', pagerDuty: undefined });
  });

  it('pages PagerDuty beside the chat webhook when the format lists both', () => {
    const c = loadAlertChannels({
      CANARY_WEBHOOK_URL: HOOK,
      CANARY_WEBHOOK_FORMAT: ' json , PagerDuty ',
      CANARY_PAGERDUTY_ROUTING_KEY: KEY,
    });
    expect(c.webhook).toEqual({ url: HOOK, format: 'json' });
    expect(c.pagerDuty).toEqual({ routingKey: KEY, url: PAGERDUTY_EVENTS_URL });
    expect(c.problems).toEqual([]);
    const eu = loadAlertChannels({
      CANARY_WEBHOOK_FORMAT: 'pagerduty',
      CANARY_PAGERDUTY_ROUTING_KEY: KEY,
      CANARY_PAGERDUTY_URL: 'https://events.eu.pagerduty.com/v2/enqueue',
    });
    expect(eu).toMatchObject({
      webhook: undefined,
      chatFormat: undefined,
      pagerDuty: { url: 'https://events.eu.pagerduty.com/v2/enqueue' },
    });
  });

  it.each([
    [
      { CANARY_WEBHOOK_FORMAT: 'teams,json' },
      /CANARY_WEBHOOK_FORMAT: .*teams and json share CANARY_WEBHOOK_URL: pick one/,
    ],
    [{ CANARY_WEBHOOK_FORMAT: 'teams,teams' }, /CANARY_WEBHOOK_FORMAT: .*a format is listed twice/],
    [{ CANARY_WEBHOOK_FORMAT: 'opsgenie' }, /CANARY_WEBHOOK_FORMAT: .*"opsgenie" is not one of them/],
    [
      { CANARY_WEBHOOK_FORMAT: 'pagerduty', CANARY_WEBHOOK_URL: HOOK },
      /CANARY_WEBHOOK_FORMAT: lists no chat format for CANARY_WEBHOOK_URL: use "teams,pagerduty"/,
    ],
  ])('refuses %j, naming the setting and never the webhook', (env, message) => {
    expect(() => loadAlertChannels(env)).toThrow(message);
    try {
      loadAlertChannels(env);
    } catch (err) {
      expect((err as Error).message).not.toContain('SECRETSIG');
    }
  });

  it.each([
    [undefined, /CANARY_PAGERDUTY_ROUTING_KEY: is not set/],
    [
      'short-key-XYZZY',
      /CANARY_PAGERDUTY_ROUTING_KEY: is not a PagerDuty routing key \(.*got 15 characters; the value is not shown\)/,
    ],
    [
      '@Microsoft.KeyVault(SecretUri=https://kv/secrets/pd/)',
      /CANARY_PAGERDUTY_ROUTING_KEY: is an unresolved Key Vault reference/,
    ],
  ])('a routing key %s disables paging only, loudly, without echoing the value', (key, message) => {
    const c = loadAlertChannels({
      CANARY_WEBHOOK_URL: HOOK,
      CANARY_WEBHOOK_FORMAT: 'teams,pagerduty',
      CANARY_PAGERDUTY_ROUTING_KEY: key,
    });
    expect(c.webhook).toBeDefined();
    expect(c.pagerDuty).toBeUndefined();
    expect(c.problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
    expect(c.problems[0]!.message).toMatch(
      /paging is disabled until it is fixed \(probing, reports, alert state and the other channels go on\)/,
    );
    expect(c.problems[0]!.message).not.toContain('XYZZY');
  });

  it('says so when a routing key is set but nothing pages, and refuses a plain-http PagerDuty URL', () => {
    const unused = loadAlertChannels({ CANARY_PAGERDUTY_ROUTING_KEY: KEY });
    expect(unused.pagerDuty).toBeUndefined();
    expect(unused.problems.map((p) => p.field)).toEqual(['CANARY_WEBHOOK_FORMAT']);
    expect(unused.problems[0]!.message).toMatch(/does not list pagerduty although CANARY_PAGERDUTY_ROUTING_KEY is set/);
    const plain = loadAlertChannels({
      CANARY_WEBHOOK_FORMAT: 'pagerduty',
      CANARY_PAGERDUTY_ROUTING_KEY: KEY,
      CANARY_PAGERDUTY_URL: 'http://events.pagerduty.com/v2/enqueue',
    });
    expect(plain.pagerDuty).toBeUndefined();
    expect(plain.problems[0]!.message).toMatch(/^CANARY_PAGERDUTY_URL: must be an https URL/);
  });

  it('lands in the settings, with the problems the round logs', () => {
    const base = {
      CANARY_TARGETS: JSON.stringify([{ name: 't', endpoint: 'wss://x/y', auth: 'none' }]),
      CANARY_OUTPUT_DIR: '/tmp/x',
    };
    const s = loadSettings({ ...base, CANARY_WEBHOOK_FORMAT: 'pagerduty', CANARY_PAGERDUTY_ROUTING_KEY: KEY });
    expect(s.pagerDuty).toEqual({ routingKey: KEY, url: PAGERDUTY_EVENTS_URL });
    expect(s.webhook).toBeUndefined();
    expect(s.mutes).toEqual([]);
    const broken = loadSettings({ ...base, CANARY_WEBHOOK_FORMAT: 'teams,pagerduty' });
    expect(broken.problems.map((p) => p.field)).toEqual(['CANARY_PAGERDUTY_ROUTING_KEY']);
  });
});
