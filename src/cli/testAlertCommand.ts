/**
 * `realtime-canary test-alert [--settings local.settings.json] [--resolve]`: sends a clearly marked sample alert
 * ("TEST — realtime-canary test alert, no action needed") to every configured channel — the webhook
 * (CANARY_WEBHOOK_URL, as a Teams card or JSON) and PagerDuty (CANARY_WEBHOOK_FORMAT lists pagerduty; an `info`
 * trigger with dedup key `test-alert@<region>`) — through the same delivery code as real alerts, and reports each
 * HTTP result. `--resolve` resolves the PagerDuty test alert. Secrets are never printed: of the webhook only its
 * host, of the routing key nothing.
 */
import type { Notification } from '../sinks/alerts/alertState.js';
import { renderPayload } from '../sinks/alerts/notify.js';
import { TEST_ID_PREFIX, TEST_TITLE } from '../sinks/alerts/notificationText.js';
import { pagerDutyEvents } from '../sinks/alerts/pagerDuty.js';
import { ROUND_WEBHOOK } from '../sinks/alerts/channels.js';
import type { RunSummary } from '../runSummary.js';
import { postJson, type DeliveryResult } from '../sinks/alerts/webhook.js';
import { scrub, urlSecrets } from '../realtime/redact.js';
import {
  checkRoutingKey,
  parseWebhookFormats,
  PAGERDUTY_EVENTS_URL,
  type ChatFormat,
} from '../config/alertChannels.js';
import { ConfigError } from '../errors.js';
import { noPositionals, parse } from './args.js';
import { hostOf, isKeyVaultReference, keyVaultReferences, operatorEnv, type Env } from './settingsSource.js';

const HELP = `realtime-canary test-alert [--settings FILE] [--resolve]

Sends a sample alert marked "${TEST_TITLE}" to every channel the settings configure: the webhook in
CANARY_WEBHOOK_URL (format teams or json) and, when CANARY_WEBHOOK_FORMAT lists pagerduty, PagerDuty (an "info"
trigger with dedup key test-alert@<region>, routing key CANARY_PAGERDUTY_ROUTING_KEY), with the retries a round gives
real alerts (at most ${ROUND_WEBHOOK.attempts} attempts per channel), and prints each HTTP status and the number of attempts.
Secrets are never printed (of the webhook only its host).

  --settings FILE   read app settings from a local.settings.json (its "Values" where the environment sets none, as func start does)
  --resolve         resolve the PagerDuty test alert (send this after the page arrived); the webhook gets nothing
Exit codes: 0 delivered everywhere, 1 a channel did not take it, 2 no or unusable channel setting.`;

/** One place a test alert goes. */
interface TestChannel {
  name: string;
  host: string;
  url: string;
  payloads: unknown[];
  secrets: string[];
}

export async function testAlertCommand(argv: string[]): Promise<number> {
  const { values: f, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    settings: { type: 'string' },
    resolve: { type: 'boolean' },
  });
  noPositionals(positionals);
  if (f.help) {
    console.log(HELP);
    return 0;
  }
  const env = operatorEnv(f.settings);
  const n = sampleNotification(env.CANARY_REGION?.trim() || 'local', new Date(), f.resolve ? 'recovery' : 'alert');
  const channels = testChannels(env, n);
  let failed = 0;
  for (const c of channels) {
    if (c.payloads.length === 0) {
      console.log(`${c.name}: nothing to resolve`);
      continue;
    }
    console.log(`sending a test ${f.resolve ? 'resolve' : 'alert'} (${c.name}) to ${c.host} …`);
    for (const payload of c.payloads) if (!report(c, await postJson(c.url, payload, ROUND_WEBHOOK))) failed++;
  }
  return failed ? 1 : 0;
}

/** The channels of the settings with what to post to each; a ConfigError naming the setting when there is none. */
function testChannels(env: Env, n: Notification): TestChannel[] {
  const formats = parseWebhookFormats(env.CANARY_WEBHOOK_FORMAT);
  const out: TestChannel[] = [];
  const chat = formats.find((x): x is ChatFormat => x !== 'pagerduty');
  if (chat && (env.CANARY_WEBHOOK_URL?.trim() || !formats.includes('pagerduty'))) {
    const { url, format } = webhookSetting(env, chat);
    out.push({
      name: format,
      host: hostOf(url),
      url,
      payloads: n.kind === 'recovery' ? [] : [renderPayload(format, n, undefined)],
      secrets: [url, ...urlSecrets(safeUrl(url))],
    });
  }
  if (formats.includes('pagerduty')) {
    const raw = env.CANARY_PAGERDUTY_ROUTING_KEY?.trim();
    const key = isKeyVaultReference(raw) ? unresolved('CANARY_PAGERDUTY_ROUTING_KEY', raw!) : checkRoutingKey(raw);
    const url = env.CANARY_PAGERDUTY_URL?.trim() || PAGERDUTY_EVENTS_URL;
    out.push({ name: 'pagerduty', host: hostOf(url), url, payloads: pagerDutyEvents(n, key), secrets: [key] });
  }
  return out;
}

/** Prints one post's result (scrubbed); true when delivered. */
function report(c: TestChannel, r: DeliveryResult): boolean {
  const attempts = `${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`;
  if (r.delivered) {
    console.log(`delivered: HTTP ${r.status} from ${c.host} (${attempts}, ${Math.round(r.elapsedMs)} ms)`);
    return true;
  }
  const detail = [r.status !== undefined ? `HTTP ${r.status}` : 'no HTTP answer', r.error, attempts]
    .filter(Boolean)
    .join(', ');
  console.error(scrub(`not delivered to ${c.host}: ${r.reason} (${detail})${hint(c.name, r.status)}`, c.secrets));
  return false;
}

/** The webhook URL and its chat format from the settings, or a ConfigError naming the setting (never its value). */
function webhookSetting(env: Env, format: ChatFormat = 'teams'): { url: string; format: ChatFormat } {
  const raw = env.CANARY_WEBHOOK_URL?.trim();
  if (!raw)
    throw new ConfigError(
      'CANARY_WEBHOOK_URL',
      'is not set: nothing to send to (export it, or pass --settings local.settings.json)',
    );
  if (isKeyVaultReference(raw)) unresolved('CANARY_WEBHOOK_URL', raw);
  if (!/^https?:\/\//i.test(raw) || hostOf(raw) === 'an unparsable URL')
    throw new ConfigError('CANARY_WEBHOOK_URL', 'must be an http(s) URL (the value is not shown: it is a secret)');
  return { url: raw, format };
}

/** A Key Vault reference only the Function app resolves: a ConfigError naming the setting and the secret. */
function unresolved(setting: string, raw: string): never {
  const [ref] = keyVaultReferences({ [setting]: raw });
  throw new ConfigError(
    setting,
    `is a Key Vault reference (${ref!.secret}), which only the Function app resolves; run test-alert with the value itself in the environment`,
  );
}

function hint(channel: string, status: number | undefined): string {
  if (channel === 'pagerduty') {
    if (status === 400)
      return '; PagerDuty refused the event: check CANARY_PAGERDUTY_ROUTING_KEY (an Events API v2 integration key)';
    if (status === 429) return '; PagerDuty rate-limited the integration key: try again in a minute';
    return '';
  }
  if (status === 401 || status === 403) return "; the URL's signature may be wrong or the flow turned off";
  if (status === 404)
    return '; the workflow may have been deleted: create the Teams workflow again and update CANARY_WEBHOOK_URL';
  if (status === 400) return '; the receiver refused the payload: check CANARY_WEBHOOK_FORMAT';
  return '';
}

function safeUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    return new URL('http://invalid');
  }
}

/** A made-up alert (or, with `kind` recovery, its resolution), marked as a test in its id (title, text and look follow). */
function sampleNotification(region: string, now: Date, kind: 'alert' | 'recovery' = 'alert'): Notification {
  const at = now.toISOString();
  const runId = `test-${at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const summary: RunSummary = {
    runId,
    startedAt: at,
    durationMs: 0,
    region,
    target: 'test-alert',
    flavour: 'sample',
    host: 'example.openai.azure.com',
    deployment: undefined,
    group: undefined,
    baseline: false,
    verdict: 'fail',
    findingCodes: ['silent_gap'],
    headline: TEST_TITLE,
    turns: 3,
    failingTurns: 1,
    longestGapMs: 2600,
    coverage: 0.8,
    timeToFirstAudioMs: 400,
    sessionId: 'sess_sample',
    requestIds: { 'apim-request-id': 'sample' },
    comparison: undefined,
    reportPath: '(none: sample card)',
    reportHtmlPath: '(none: sample card)',
  };
  return {
    id: `${TEST_ID_PREFIX}${region}:${runId}`,
    kind,
    category: 'incident',
    createdAt: at,
    region,
    target: 'test-alert',
    summary,
    opening: { openedAt: at, runId, runStartedAt: at, headline: TEST_TITLE, failureClass: 'test' },
    window: { failing: 1, of: 1 },
    sinceOpen: { runs: 1, failing: 1 },
  };
}
