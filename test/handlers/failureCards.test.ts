/**
 * One classification everywhere, end to end: the timer handler with a real InvocationContext, real Azurite, a real
 * webhook receiver and the simulator. A throttled target's card says capacity/quota with the wait and carries no
 * support-case text (its evidence.zip has no support summary either); a refused connection (ECONNREFUSED) and a
 * wrong key are configuration on the card, the index line, report.json and report.html alike, and their cards name
 * the setting to fix as the target names it.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/analysis/report.js';
import type { RunSummary } from '../../src/runSummary.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { closedPort } from '../helpers/closedPort.js';
import { allBlobs, invoke, shortCatalog, SIM_KEY, useRoundWorld } from './roundFixture.js';

/** A target of this test: a key from `secretSetting` (the simulator's, unless told). */
const target = (name: string, endpoint: string, secretSetting = 'SIM_KEY') => ({
  name,
  endpoint,
  auth: 'api-key',
  secretSetting,
});

const world = useRoundWorld();
let sim: RunningSimulator;
let refusedPort: number;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    apiKey: SIM_KEY,
    catalog: shortCatalog(),
    scenarios: {
      // Azure's token-rate 429 with retry-after-ms: a wait over a minute, so it is not probed again at once
      quota: {
        name: 'quota',
        description: '429, token rate limit, retry-after-ms 90 s',
        upgrade: {
          status: 429,
          headers: { 'retry-after-ms': '90000' },
          body: { error: { code: '429', message: 'Requests have exceeded the token rate limit of your tier.' } },
        },
      },
    },
  });
  refusedPort = await closedPort();
});
afterAll(async () => sim?.close());

type Card = { attachments: { content: { body: unknown[] } }[] };

/** The cards posted for `region`, by target, as the JSON of their Adaptive Card content. */
function cards(region: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of world.hook.requests) {
    const content = JSON.stringify((JSON.parse(r.body) as Card).attachments[0]!.content);
    const m = new RegExp(`"text":"[^"]*? ([\\w-]+) @ ${region}: `).exec(content);
    if (m) out.set(m[1]!, content);
  }
  return out;
}

describe('the round classifies every refusal once, and every surface says the same', () => {
  it('capacity cards say capacity/quota with the wait, never a support case; configuration cards name the setting', async () => {
    const region = 'francecentral';
    const e = await world.env({
      CANARY_REGION: region,
      CANARY_ALERT_RULE: '1/1',
      WRONG_KEY: 'not-the-key',
      CANARY_TARGETS: JSON.stringify([
        target('busy', sim.url('azure-ga', { scenario: 'reject-503' })),
        target('quota', sim.url('azure-ga', { scenario: 'quota' })),
        target('nothing-there', `ws://127.0.0.1:${refusedPort}/openai/v1/realtime?model=gpt-realtime`),
        target('wrong-key', sim.url('azure-ga'), 'WRONG_KEY'),
      ]),
    });
    const { result } = await invoke(e);
    const by = new Map<string, RunSummary>(result.outcomes.map((o) => [o.summary.target, o.summary]));
    expect([...by].map(([t, s]) => [t, s.verdict, s.category, s.findingCodes])).toEqual([
      ['busy', 'error', 'capacity', ['capacity_unavailable']],
      ['quota', 'error', 'capacity', ['rate_limited']],
      ['nothing-there', 'error', 'configuration', ['connection_rejected']],
      ['wrong-key', 'error', 'configuration', ['connection_rejected']],
    ]);
    // capacity is transient and probed again (the 503), unless the service asked to wait over a minute (the 429)
    expect(by.get('busy')!.attempts).toBe(2);
    expect(by.get('quota')!.attempts).toBeUndefined();
    expect(by.get('nothing-there')!.attempts).toBeUndefined();

    const posted = cards(region);
    expect([...posted.keys()].sort()).toEqual(['busy', 'nothing-there', 'quota', 'wrong-key']);
    const busy = posted.get('busy')!;
    expect(busy).toContain(`⏳ busy @ ${region}: capacity/quota — no capacity at 127.0.0.1:${sim.port}`);
    expect(busy).toContain('Capacity/quota, not an outage: retry, raise the quota or move region.');
    const quota = posted.get('quota')!;
    expect(quota).toContain(`⏳ quota @ ${region}: capacity/quota — rate limited by 127.0.0.1:${sim.port}: `);
    expect(quota).toContain('tokens per minute (TPM); retry after 1 min 30 s');
    expect(quota).toContain('"title":"Retry after","value":"1 min 30 s"');
    for (const card of [busy, quota]) {
      expect(card).not.toMatch(/support|configuration|hosting layer/i);
      expect(card).toContain('"style":"warning"');
    }
    const refused = posted.get('nothing-there')!;
    expect(refused).toContain(`⚙️ nothing-there @ ${region}: the canary could not reach 127.0.0.1:${refusedPort}`);
    expect(refused).toContain('ECONNREFUSED');
    expect(refused).toContain(`"title":"Setting to fix","value":"the target's endpoint (127.0.0.1:${refusedPort})"`);
    expect(posted.get('wrong-key')!).toContain(
      `"title":"Setting to fix","value":"the target's secretSetting WRONG_KEY"`,
    );
    for (const card of [refused, posted.get('wrong-key')!]) {
      expect(card).not.toMatch(/support|🔴|capacity/i);
      expect(card).toContain('"style":"accent"');
    }

    // report.json, report.html, the evidence zip and the index line say the same
    const blobs = await allBlobs(world.azurite.connectionString);
    const runDir = (target: string): string =>
      [...blobs.keys()]
        .find((k) => k.includes(`/${region}/${target}/`) && k.endsWith('/report.json') && !k.includes('/confirm-'))!
        .replace('report.json', '');
    const index = [...blobs]
      .filter(([k]) => k.startsWith('index/'))
      .flatMap(([, b]) => b.toString().trim().split('\n'))
      .map((l) => JSON.parse(l) as RunSummary)
      .filter((s) => s.region === region);
    for (const [target, category] of [
      ['busy', 'capacity'],
      ['quota', 'capacity'],
      ['nothing-there', 'configuration'],
      ['wrong-key', 'configuration'],
    ] as const) {
      const dir = runDir(target);
      const report = JSON.parse(blobs.get(`${dir}report.json`)!.toString()) as Report;
      expect(report.problem?.category, target).toBe(category);
      const html = blobs.get(`${dir}report.html`)!.toString();
      expect(html, target).toContain(`data-kind="${category}"`);
      expect(html, target).not.toContain('<textarea data-testid="support-summary"');
      const zip = unzipSync(new Uint8Array(blobs.get(`${dir}evidence.zip`)!));
      expect(Object.keys(zip), target).not.toContain('support-summary.txt');
      expect(strFromU8(zip['what-to-fix.txt']!), target).not.toMatch(/Subject:|support request/);
      expect(index.find((s) => s.target === target)?.category, target).toBe(category);
    }
    // the dashboard's cells too
    const dashboard = blobs.get('index.html')!.toString();
    for (const [target, kind] of [
      ['busy', 'capacity'],
      ['quota', 'capacity'],
      ['nothing-there', 'configuration'],
      ['wrong-key', 'configuration'],
    ])
      expect(dashboard, target).toMatch(
        new RegExp(`data-target="${target}" data-region="${region}"[^>]*data-kind="${kind}"`),
      );
    expect(dashboard).toMatch(
      /data-testid="capacity">[\s\S]*?<li [^>]*data-home="capacity"[^>]*><a [^>]*>busy @ francecentral/,
    );
    expect(JSON.parse(blobs.get(`${runDir('wrong-key')}report.json`)!.toString()).problem.settingValue).toBe(
      "the target's secretSetting WRONG_KEY",
    );
    // no secret anywhere the round wrote or posted
    const all =
      [...blobs.values()].map((b) => b.toString('latin1')).join('\n') +
      world.hook.requests.map((r) => r.body).join('\n');
    expect(all).not.toContain(SIM_KEY);
    expect(all).not.toContain('not-the-key');
  }, 120_000);
});
