/**
 * `realtime-canary test-alert` against a real local HTTP receiver: the sample card is clearly marked as a test, is
 * a valid Adaptive Card, goes through the same delivery (retries) as real alerts, and the output reports status and
 * attempts with the webhook's host only — never its URL or signature.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';
import { adaptiveCardProblems } from '../helpers/adaptiveCards.js';
import type { TeamsEnvelope } from '../../src/sinks/alerts/teamsCard.js';
import type { JsonNotificationPayload } from '../../src/sinks/alerts/jsonPayload.js';
import { runCli } from './cliRun.js';
import { ROUND_WEBHOOK } from '../../src/sinks/alerts/channels.js';

let hook: WebhookReceiver;
beforeEach(async () => {
  hook = await startWebhookReceiver();
});
afterEach(async () => hook?.close());

const hostPort = () => new URL(hook.url).host;
const noSecrets = (out: string) => {
  expect(out).not.toContain(hook.secret);
  expect(out).not.toContain('/workflows/');
  expect(out).not.toContain(hook.url);
};

describe('realtime-canary test-alert', () => {
  it('posts a marked sample card and reports the status and attempts, showing the host only', async () => {
    const r = await runCli(['test-alert'], {
      CANARY_WEBHOOK_URL: hook.url,
      CANARY_WEBHOOK_FORMAT: undefined,
      CANARY_REGION: 'swedencentral',
    });
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`delivered: HTTP 202 from ${hostPort().replace('.', '\\.')} \\(1 attempt, \\d+ ms\\)`),
    );
    noSecrets(r.out);
    expect(hook.requests).toHaveLength(1);
    const card = hook.requests[0]!.json<TeamsEnvelope>();
    const content = card.attachments[0].content;
    const title = content.body[0]!.type === 'Container' ? content.body[0]!.items[0] : undefined;
    expect(title).toMatchObject({
      type: 'TextBlock',
      text: '🧪 TEST — realtime-canary test alert, no action needed (swedencentral)',
    });
    expect(JSON.stringify(content)).toMatch(/Nothing is wrong/);
    expect(adaptiveCardProblems(content)).toEqual([]);
  });

  it('reads the webhook from --settings, honours the json format, and retries like a real alert', async () => {
    hook.reply({ status: 503, headers: { 'retry-after': '0' } }, { status: 200 });
    const dir = await mkdtemp(join(tmpdir(), 'rc-test-alert-'));
    const file = join(dir, 'local.settings.json');
    await writeFile(
      file,
      JSON.stringify({ IsEncrypted: false, Values: { CANARY_WEBHOOK_URL: hook.url, CANARY_WEBHOOK_FORMAT: 'json' } }),
    );
    const r = await runCli(['test-alert', '--settings', file], { CANARY_WEBHOOK_URL: undefined });
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(/sending a test alert \(json\)/);
    expect(r.stdout).toMatch(/delivered: HTTP 200 .*\(2 attempts/);
    noSecrets(r.out);
    expect(hook.requests).toHaveLength(2);
    const p = hook.requests[1]!.json<JsonNotificationPayload>();
    expect(p).toMatchObject({
      schema: 'realtime-canary.notification/1',
      kind: 'alert',
      title: expect.stringContaining('TEST — realtime-canary test alert, no action needed'),
    });
    expect(p.id.startsWith('test:')).toBe(true);
  });

  it('makes as many attempts as a round makes for a real alert (one constant), then exits 1 saying how many', async () => {
    const attempts = ROUND_WEBHOOK.attempts!;
    hook.reply(...Array.from({ length: attempts + 2 }, () => ({ status: 503, headers: { 'retry-after': '0' } })));
    const r = await runCli(['test-alert'], { CANARY_WEBHOOK_URL: hook.url, CANARY_WEBHOOK_FORMAT: undefined });
    expect(r.code, r.out).toBe(1);
    expect(hook.requests).toHaveLength(attempts);
    expect(r.stderr).toContain(`: exhausted (HTTP 503, ${attempts} attempts)`);
    expect(attempts).toBe(3); // what README's limits table and test-alert --help say
    expect((await runCli(['test-alert', '--help'])).stdout).toContain(`at most ${attempts} attempts per channel`);
  }, 60_000);

  it('exits 1 when the webhook refuses it, with the status and a hint', async () => {
    hook.reply({ status: 404 });
    const r = await runCli(['test-alert'], { CANARY_WEBHOOK_URL: hook.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `not delivered to ${hostPort().replace('.', '\\.')}: rejected \\(HTTP 404, 1 attempt\\); the workflow may have been deleted`,
      ),
    );
    noSecrets(r.out);
  });

  it('exits 2 naming the setting when there is no usable webhook, never echoing it', async () => {
    const none = await runCli(['test-alert'], { CANARY_WEBHOOK_URL: undefined });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(
      'realtime-canary test-alert: CANARY_WEBHOOK_URL: is not set: nothing to send to (export it, or pass --settings local.settings.json)',
    );
    const kv = await runCli(['test-alert'], {
      CANARY_WEBHOOK_URL: '@Microsoft.KeyVault(VaultName=canary-kv;SecretName=teams-webhook-url)',
    });
    expect(kv.code).toBe(2);
    expect(kv.stderr).toMatch(/CANARY_WEBHOOK_URL: is a Key Vault reference \(canary-kv\/teams-webhook-url\)/);
    const notUrl = await runCli(['test-alert'], { CANARY_WEBHOOK_URL: 'ftp://x/sig=SECRETSIG' });
    expect(notUrl.code).toBe(2);
    expect(notUrl.out).not.toContain('SECRETSIG');
    const down = await runCli(['test-alert'], { CANARY_WEBHOOK_URL: hook.url.replace(/:\d+\//, ':1/') });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/not delivered to 127\.0\.0\.1:1: (exhausted|deadline) \(no HTTP answer, ECONNREFUSED/);
    noSecrets(down.out);
  }, 120_000);

  it('pages PagerDuty beside the webhook (an info trigger), resolves it with --resolve, and never prints the routing key', async () => {
    const pd = await startWebhookReceiver();
    try {
      const key = 'TestRoutingKey0123456789abcdefAB';
      const env = {
        CANARY_WEBHOOK_URL: hook.url,
        CANARY_WEBHOOK_FORMAT: 'teams,pagerduty',
        CANARY_PAGERDUTY_ROUTING_KEY: key,
        CANARY_PAGERDUTY_URL: pd.url,
        CANARY_REGION: 'swedencentral',
      };
      const r = await runCli(['test-alert'], env);
      expect(r.code, r.out).toBe(0);
      expect(r.stdout).toMatch(/sending a test alert \(teams\)/);
      expect(r.stdout).toMatch(/sending a test alert \(pagerduty\)/);
      expect(r.out).not.toContain(key);
      noSecrets(r.out);
      expect(hook.requests).toHaveLength(1);
      expect(pd.requests.map((q) => q.json())).toEqual([
        expect.objectContaining({
          routing_key: key,
          event_action: 'trigger',
          dedup_key: 'test-alert@swedencentral',
          payload: expect.objectContaining({
            severity: 'info',
            summary: '🧪 TEST — realtime-canary test alert, no action needed (swedencentral)',
          }),
        }),
      ]);
      const resolved = await runCli(['test-alert', '--resolve'], env);
      expect(resolved.code, resolved.out).toBe(0);
      expect(resolved.stdout).toMatch(/teams: nothing to resolve/);
      expect(hook.requests).toHaveLength(1);
      expect(pd.requests[1]!.json()).toEqual({
        routing_key: key,
        event_action: 'resolve',
        dedup_key: 'test-alert@swedencentral',
      });
      pd.reply({ status: 400 });
      const refused = await runCli(['test-alert'], {
        ...env,
        CANARY_WEBHOOK_URL: undefined,
        CANARY_WEBHOOK_FORMAT: 'pagerduty',
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /rejected \(HTTP 400, 1 attempt\); PagerDuty refused the event: check CANARY_PAGERDUTY_ROUTING_KEY/,
      );
      expect(refused.out).not.toContain(key);
    } finally {
      await pd.close();
    }
  }, 120_000);

  it('exits 2 naming the PagerDuty setting when the routing key is missing or not one, never echoing it', async () => {
    const missing = await runCli(['test-alert'], { CANARY_WEBHOOK_URL: undefined, CANARY_WEBHOOK_FORMAT: 'pagerduty' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/CANARY_PAGERDUTY_ROUTING_KEY: is not set/);
    const bad = await runCli(['test-alert'], {
      CANARY_WEBHOOK_URL: undefined,
      CANARY_WEBHOOK_FORMAT: 'pagerduty',
      CANARY_PAGERDUTY_ROUTING_KEY: 'not-a-key-PLUGH',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CANARY_PAGERDUTY_ROUTING_KEY: is not a PagerDuty routing key/);
    expect(bad.out).not.toContain('PLUGH');
  }, 60_000);
});
