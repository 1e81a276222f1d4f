/**
 * `realtime-canary test-alert [--settings local.settings.json]`: sends a clearly marked sample card ("TEST —
 * realtime-canary test alert, no action needed") to the configured webhook (CANARY_WEBHOOK_URL, in the format of
 * CANARY_WEBHOOK_FORMAT) through the same delivery code as real alerts, and reports the HTTP result. The webhook URL
 * is a secret: only its host is printed.
 */
import type { Notification } from '../sinks/alerts/alertState.js';
import { renderPayload } from '../sinks/alerts/notify.js';
import { TEST_ID_PREFIX, TEST_TITLE } from '../sinks/alerts/notificationText.js';
import type { RunSummary } from '../runSummary.js';
import { postJson, type WebhookOptions } from '../sinks/alerts/webhook.js';
import { scrub, urlSecrets } from '../realtime/redact.js';
import { ConfigError } from '../errors.js';
import { noPositionals, parse } from './args.js';
import { hostOf, isKeyVaultReference, keyVaultReferences, operatorEnv, type Env } from './settingsSource.js';

const HELP = `realtime-canary test-alert [--settings FILE]

Sends a sample card marked "${TEST_TITLE}" to the webhook in CANARY_WEBHOOK_URL (format CANARY_WEBHOOK_FORMAT,
teams or json), with the retries real alerts get, and prints the HTTP status and the number of attempts. The URL is
never printed, only its host.

  --settings FILE   read app settings from a local.settings.json (its "Values" where the environment sets none, as func start does)
Exit codes: 0 delivered, 1 the webhook did not take it, 2 no or unusable webhook setting.`;

export async function testAlertCommand(argv: string[], webhook: WebhookOptions = {}): Promise<number> {
  const { values: f, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    settings: { type: 'string' },
  });
  noPositionals(positionals);
  if (f.help) {
    console.log(HELP);
    return 0;
  }
  const env = operatorEnv(f.settings);
  const { url, format } = webhookSetting(env);
  const host = hostOf(url);
  const n = sampleNotification(env.CANARY_REGION?.trim() || 'local', new Date());
  const payload = renderPayload(format, n, undefined);
  console.log(`sending a test alert (${format}) to ${host} …`);
  const r = await postJson(url, payload, webhook);
  const attempts = `${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`;
  if (r.delivered) {
    console.log(`delivered: HTTP ${r.status} from ${host} (${attempts}, ${Math.round(r.elapsedMs)} ms)`);
    return 0;
  }
  const detail = [r.status !== undefined ? `HTTP ${r.status}` : 'no HTTP answer', r.error, attempts]
    .filter(Boolean)
    .join(', ');
  console.error(
    scrub(`not delivered to ${host}: ${r.reason} (${detail})${hint(r.status)}`, [url, ...urlSecrets(safeUrl(url))]),
  );
  return 1;
}

/** The webhook URL and format from the settings, or a ConfigError naming the setting (never its value). */
export function webhookSetting(env: Env): { url: string; format: 'teams' | 'json' } {
  const raw = env.CANARY_WEBHOOK_URL?.trim();
  if (!raw)
    throw new ConfigError(
      'CANARY_WEBHOOK_URL',
      'is not set: nothing to send to (export it, or pass --settings local.settings.json)',
    );
  if (isKeyVaultReference(raw)) {
    const [ref] = keyVaultReferences({ CANARY_WEBHOOK_URL: raw });
    throw new ConfigError(
      'CANARY_WEBHOOK_URL',
      `is a Key Vault reference (${ref!.secret}), which only the Function app resolves; run test-alert with the URL itself in the environment`,
    );
  }
  if (!/^https?:\/\//i.test(raw) || hostOf(raw) === 'an unparsable URL')
    throw new ConfigError('CANARY_WEBHOOK_URL', 'must be an http(s) URL (the value is not shown: it is a secret)');
  const format = env.CANARY_WEBHOOK_FORMAT?.trim() || 'teams';
  if (format !== 'teams' && format !== 'json')
    throw new ConfigError('CANARY_WEBHOOK_FORMAT', 'must be "teams" or "json"');
  return { url: raw, format };
}

function hint(status: number | undefined): string {
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

/** A made-up alert, marked as a test in its id (title, text and look follow from that). */
export function sampleNotification(region: string, now: Date): Notification {
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
    kind: 'alert',
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
