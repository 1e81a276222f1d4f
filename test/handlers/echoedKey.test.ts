/**
 * A scheduled round whose target echoes its 26-character gateway key back — in an `error` event's message, as given
 * and inside a base64 `Basic` credential, and in the answer's transcript — through the real handler, the local
 * store and a real webhook receiver. The key sits in an app setting whose name says nothing of a secret (only the
 * target's `secretSetting` tells). No stored file (events.jsonl.gz, report.json, report.html, state blobs, index
 * lines, the dashboard, cards), no blob path, no log line and no webhook payload holds the key, the webhook URL or
 * its signature, in any encoding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { RunningSimulator } from '../../src/sim/index.js';
import { startEchoingSim } from '../helpers/echoingSim.js';
import { filesUnder, leaks, scanFolder } from '../helpers/secretScan.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';
import { invoke } from './roundFixture.js';

const KEY = 'gw7Qm2Xr9Lp4Vt8Kc3Nb6Hd1Zs';

let sim: RunningSimulator;
let hook: WebhookReceiver;
beforeAll(async () => {
  hook = await startWebhookReceiver();
  sim = await startEchoingSim(KEY);
});
afterAll(async () => Promise.all([sim?.close(), hook?.close(), cleanupTempDirs()]));

describe('a round whose target echoes its key', () => {
  it('stores, logs and posts nothing that holds the key, the webhook URL or its signature', async () => {
    const dir = await tempDir('rc-echo-round-');
    const logs: string[] = [];
    const { result } = await invoke(
      {
        GATEWAY_CRED: KEY,
        CANARY_REGION: 'westeurope',
        CANARY_OUTPUT_DIR: join(dir, 'store'),
        CANARY_SPOOL_DIR: join(dir, 'spool'),
        CANARY_TURNS: '1',
        CANARY_PROMPTS: 'count-to-twenty',
        CANARY_TURN_TIMEOUT_MS: '15000',
        CANARY_ALERT_RULE: '1/1',
        CANARY_WEBHOOK_URL: hook.url,
        CANARY_WEBHOOK_FORMAT: 'json',
        CANARY_TARGETS: JSON.stringify([
          {
            name: 'gateway',
            endpoint: sim.url('azure-ga', { scenario: 'echo' }),
            auth: 'api-key',
            secretSetting: 'GATEWAY_CRED',
          },
        ]),
      },
      {},
      logs,
    );
    expect(result.outcomes.map((o) => o.summary.verdict)).toEqual(['fail']);
    const secrets = [KEY, hook.url, hook.secret];
    const found = (await scanFolder(dir, secrets)).filter((f) => f.found.length);
    expect(found).toEqual([]);
    const files = await filesUnder(dir);
    expect(files.some((f) => f.endsWith('events.jsonl.gz'))).toBe(true);
    expect(files.some((f) => f.endsWith('report.html'))).toBe(true);
    for (const line of logs) for (const s of secrets) expect(leaks(line, s), line).toEqual([]);
    expect(hook.requests.length).toBeGreaterThan(0);
    for (const req of hook.requests) for (const s of secrets) expect(leaks(req.body, s), req.body).toEqual([]);
    // the echo reached what was written (scrubbed): the error event's message is in the report
    const report = (await scanFolder(dir, ['Incorrect API key provided: [redacted] (Basic'])).filter(
      (f) => f.found.length,
    );
    expect(report.map((f) => f.file).some((f) => f.endsWith('report.json'))).toBe(true);
  });
});
