/**
 * Issue 19's capacity failures through a whole round (the timer handler, Azurite, a real webhook receiver, the
 * simulator): a response that fails mid-session with `inference_service_unavailable_error` and one refused on the
 * requests-per-day limit are capacity — the card says capacity/quota (retry, raise the quota or move region) and
 * carries no support-case text, and neither report.html nor evidence.zip offers a support summary.
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isFailingSeverity } from '../../src/analysis/findings.js';
import type { Report } from '../../src/analysis/report.js';
import { allBlobs, invoke, useRoundWorld } from './roundFixture.js';

const world = useRoundWorld();
type Card = { attachments: { content: unknown }[] };

describe('a capacity failure of the reasoning generation, through a round', () => {
  it('no capacity mid-session and the RPD limit: capacity cards with no support case, no support summary anywhere', async () => {
    const region = 'swedencentral';
    const target = (name: string, scenario: string) => ({
      name,
      endpoint: world.sim.url('azure-ga', { scenario, deployment: 'gpt-realtime-2.1' }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
    });
    const e = await world.env({
      CANARY_REGION: region,
      CANARY_ALERT_RULE: '1/1',
      CANARY_CONFIRM_RETRIES: '0',
      CANARY_TARGETS: JSON.stringify([target('overloaded', 'capacity-unavailable'), target('spent', 'rate-limit-rpd')]),
    });
    const { result } = await invoke(e);
    expect(result.outcomes.map((o) => [o.summary.target, o.summary.category])).toEqual([
      ['overloaded', 'capacity'],
      ['spent', 'capacity'],
    ]);

    const cards = world.hook.requests.map((r) => JSON.stringify((JSON.parse(r.body) as Card).attachments[0]!.content));
    const card = (name: string): string => cards.find((c) => c.includes(` ${name} @ ${region}: `))!;
    expect(card('overloaded')).toContain(`⏳ overloaded @ ${region}: capacity/quota — no capacity at `);
    expect(card('spent')).toContain(`⏳ spent @ ${region}: capacity/quota — rate limited by `);
    expect(card('spent')).toContain('requests per day (RPD)');
    for (const name of ['overloaded', 'spent']) {
      expect(card(name)).toContain('Capacity/quota, not an outage: retry, raise the quota or move region.');
      expect(card(name), name).not.toMatch(/support|configuration|hosting layer/i);
    }

    const blobs = await allBlobs(world.azurite.connectionString);
    const failing: Record<string, string> = { overloaded: 'capacity_unavailable', spent: 'rate_limited' };
    for (const name of ['overloaded', 'spent']) {
      const dir = [...blobs.keys()]
        .find((k) => k.includes(`/${region}/${name}/`) && k.endsWith('/report.json'))!
        .replace('report.json', '');
      const report = JSON.parse(blobs.get(`${dir}report.json`)!.toString()) as Report;
      expect(report.problem?.category).toBe('capacity');
      // the failure alone: a loaded machine may add the canary's own minor probe_stall, which the index line lists too
      const findings = [...report.findings, ...report.turns.flatMap((t) => t.findings)];
      expect(findings.filter((f) => isFailingSeverity(f.severity)).map((f) => f.code)).toEqual([failing[name]]);
      const summary = result.outcomes.find((o) => o.summary.target === name)!.summary;
      expect(summary.findingCodes).toEqual(report.summary.findingCodes);
      const html = blobs.get(`${dir}report.html`)!.toString();
      expect(html, name).not.toContain('<textarea data-testid="support-summary"');
      expect(html, name).toContain('data-testid="no-support-summary"');
      const zip = unzipSync(new Uint8Array(blobs.get(`${dir}evidence.zip`)!));
      expect(Object.keys(zip), name).not.toContain('support-summary.txt');
      expect(strFromU8(zip['what-to-fix.txt']!), name).not.toMatch(/Subject:|support request/);
    }
  }, 60_000);
});
