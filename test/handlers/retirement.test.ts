/**
 * A retiring model across scheduled rounds (real Azurite, the simulator, a real webhook receiver, the rounds' clock
 * injected): every run's report says so (`model_retiring`), the dashboard's "Service changes" has one line for the
 * target, and exactly one 📅 card is posted — not one per run, and not one per region — while a target whose model
 * retires later gets neither.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/analysis/report.js';
import { retirementNoticePath } from '../../src/store/layout.js';
import { reportErrors } from '../analysis/schema.js';
import { allBlobs, invoke, SIM_KEY, useRoundWorld } from './roundFixture.js';

const world = useRoundWorld();
const at = (iso: string) => () => new Date(iso);
const TITLE = '📅 mini @ swedencentral: model gpt-realtime-mini-2025-12-15 retires on 2026-12-15';

function targets(): string {
  const target = (name: string, deployment: string) => ({
    name,
    endpoint: world.sim.url('azure-ga', { deployment, scenario: 'fast' }),
    auth: 'api-key',
    secretSetting: 'SIM_KEY',
  });
  return JSON.stringify([
    target('mini', 'gpt-realtime-mini-2025-12-15'),
    target('later', 'gpt-realtime-1.5-2026-02-23'),
  ]);
}

function cardTitles(): string[] {
  return world.hook.requests.map((r) => {
    const card = r.json<{ attachments: { content: { body: { items?: { text: string }[] }[] } }[] }>();
    return card.attachments[0]!.content.body[0]!.items![0]!.text;
  });
}

describe('a model that retires within 30 days', () => {
  it('is reported on every run, shown once on the dashboard and announced with one card across rounds and regions', async () => {
    const env = await world.env({ CANARY_TARGETS: targets(), CANARY_REGION: 'swedencentral' });
    const first = await invoke(env, { now: at('2026-12-08T10:00:00Z') });
    const second = await invoke(env, { now: at('2026-12-08T10:10:00Z') });
    const other = await invoke({ ...env, CANARY_REGION: 'francecentral' }, { now: at('2026-12-08T10:12:00Z') });
    for (const r of [first, second, other])
      expect(r.result.outcomes.map((o) => o.summary.verdict)).toEqual(['pass', 'pass']);

    expect(cardTitles().filter((t) => t.startsWith('📅'))).toEqual([TITLE]);
    const card = world.hook.requests.find((r) => r.body.includes('📅'))!.body;
    expect(card).toContain('retires on 2026-12-15, in 7 days');
    expect(card).toContain('2027-06-15'); // why the earlier of Microsoft's two dates
    expect(card).not.toContain(SIM_KEY);

    const blobs = await allBlobs(world.azurite.connectionString);
    const reports = [...blobs.entries()]
      .filter(([path]) => path.endsWith('/mini/report.json'))
      .map(([, body]) => JSON.parse(body.toString()) as Report);
    expect(reports).toHaveLength(3);
    for (const report of reports) {
      expect(reportErrors(report)).toEqual([]);
      expect(report.findings.filter((f) => f.code === 'model_retiring')).toHaveLength(1);
      expect(report.lifecycle).toMatchObject({
        model: 'gpt-realtime-mini-2025-12-15',
        retiresOn: '2026-12-15',
        daysLeft: 7,
      });
    }
    const later = [...blobs.entries()].find(([path]) => path.endsWith('/later/report.json'))!;
    expect((JSON.parse(later[1].toString()) as Report).findings.map((f) => f.code)).not.toContain('model_retiring');

    const announced = JSON.parse(blobs.get(retirementNoticePath('mini'))!.toString());
    expect(announced.announced['gpt-realtime-mini-2025-12-15@2026-12-15']).toMatchObject({
      region: 'swedencentral',
      delivered: true,
    });
    expect(blobs.has(retirementNoticePath('later'))).toBe(false);

    const dashboard = blobs.get('index.html')!.toString();
    const markers =
      dashboard.match(/<li data-testid="drift-marker"[^>]*data-code="model_retiring"[^>]*>.*?<\/li>/g) ?? [];
    const sweden = markers.filter((m) => m.includes('data-region="swedencentral"'));
    expect(sweden).toHaveLength(1);
    expect(sweden[0]).toContain('data-target="mini"');
    expect(sweden[0]).toContain('gpt-realtime-mini-2025-12-15 retires on 2026-12-15');
    expect(markers.some((m) => m.includes('data-target="later"'))).toBe(false);
  });
});
