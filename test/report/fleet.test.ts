import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDashboard } from '../../src/report/dashboardHtml.js';
import { DAY_SLOTS, WEEK_SLOTS, aggregateFleet } from '../../src/report/fleetAggregate.js';
import { parseSummary } from '../../src/report/fleetData.js';
import { loadFleet, loadFleetSummaries, writeDashboard } from '../../src/sinks/dashboardSink.js';
import { cellClass, stripPayload } from '../../src/report/fleetStrips.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { dailyIndexPath } from '../../src/store/layout.js';
import { HOSTILE } from './fixtures.js';
import { fleetSummaries } from './fleetFixtures.js';

const now = new Date('2026-11-24T12:00:00.000Z');
const targets = [
  { name: 'aoai-swe', group: 'g', flavour: 'azure-ga' },
  { name: 'openai', group: 'g', flavour: 'openai-ga', baseline: true },
];

describe('aggregateFleet', () => {
  it('bins runs into 10-minute and hourly slots, de-duplicates, and pairs Azure targets with their baseline', () => {
    const summaries = fleetSummaries({
      now,
      targets,
      regions: ['swedencentral', 'eastus2'],
      runs: 200,
      verdict: (t, _r, i) => (t === 'aoai-swe' && i === 0 ? 'fail' : 'pass'),
    });
    const fleet = aggregateFleet([...summaries, ...summaries.slice(0, 10)], now);
    expect(fleet.duplicates).toBe(10);
    expect(fleet.runs).toBe(summaries.length);
    // the group's baseline first, beside the targets it is compared with
    expect(fleet.rows.map((r) => `${r.target}@${r.region}`)).toEqual([
      'openai@eastus2',
      'openai@swedencentral',
      'aoai-swe@eastus2',
      'aoai-swe@swedencentral',
    ]);
    const row = fleet.rows[2]!;
    expect(row.day).toHaveLength(DAY_SLOTS);
    expect(row.week).toHaveLength(WEEK_SLOTS);
    expect(row.last24h.runs).toBe(144);
    expect(row.last7d.runs).toBe(200);
    expect(row.latest.verdict).toBe('fail');
    const last = row.day[DAY_SLOTS - 1]!;
    expect(last.run.verdict).toBe('fail');
    expect(cellClass(last)).toBe('f');
    expect(cellClass(row.week[WEEK_SLOTS - 1]!)).toBe('fx');
    expect(fleet.pairs.map((p) => [p.row.target, p.row.region, p.baseline?.target, p.baseline?.region])).toEqual([
      ['aoai-swe', 'eastus2', 'openai', 'eastus2'],
      ['aoai-swe', 'swedencentral', 'openai', 'swedencentral'],
    ]);
    expect(fleet.pairs[0]!.comparison).toContain('slower than the baseline');
  });

  it('ignores runs outside the 7-day window', () => {
    const old = fleetSummaries({ now: new Date(now.getTime() - 8 * 86_400_000), targets, regions: ['r'], runs: 3 });
    expect(aggregateFleet(old, now).rows).toEqual([]);
    expect(renderDashboard(old, now)).toContain('No runs in the last 7 days.');
  });

  it('keeps the payload compact: each run and string once', () => {
    const fleet = aggregateFleet(fleetSummaries({ now, targets, regions: ['r'], runs: 30 }), now);
    const payload = stripPayload(fleet);
    expect(new Set(payload.strings).size).toBe(payload.strings.length);
    const run = payload.runs[payload.rows[0]!.day[0]![4]]!;
    expect(run[0].map((i) => payload.strings[i]).join('/')).toBe(fleet.rows[0]!.day.find((c) => c)!.run.reportHtmlPath);
  });
});

describe('renderDashboard', () => {
  it('escapes names and headlines and never links a hostile report path', () => {
    const [s] = fleetSummaries({
      now,
      targets: [{ name: `x${HOSTILE}` }],
      regions: [`r${HOSTILE}`],
      runs: 1,
      verdict: () => 'fail',
    });
    const html = renderDashboard([{ ...s!, headline: HOSTILE, reportHtmlPath: 'javascript:alert(1)' }], now);
    expect(html).not.toContain('<img');
    expect(html.match(/<script\b/g)).toHaveLength(2); // the JSON data block and the page script
    expect(html).not.toContain('javascript:alert');
  });

  it('renders 20 rows × 7 days × 144 runs a day compactly (render time: npm run bench:dashboard)', () => {
    const summaries = fleetSummaries({
      now,
      targets: Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, group: 'g', baseline: i === 0 })),
      regions: ['a', 'b'],
      runs: 7 * 144,
      verdict: (_t, _r, i) => (i % 50 === 0 ? 'fail' : 'pass'),
    });
    expect(summaries).toHaveLength(20_160);
    const html = renderDashboard(summaries, now);
    expect(Buffer.byteLength(html)).toBeLessThan(1_500_000);
  });
});

describe('fleet data', () => {
  let dir: string | undefined;
  afterEach(async () => dir && rm(dir, { recursive: true, force: true }));

  it('reads the daily index files of the window, skipping and counting bad lines', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rc-fleet-'));
    const store = createLocalStore(dir);
    const summaries = fleetSummaries({ now, targets, regions: ['swedencentral'], runs: 200 });
    for (const s of summaries) await store.appendLine(dailyIndexPath(s.startedAt), JSON.stringify(s));
    await store.appendLine(dailyIndexPath(now), '{"torn": ');
    await store.appendLine(dailyIndexPath(now), JSON.stringify({ runId: 'x' }));
    await store.appendLine(dailyIndexPath(now), JSON.stringify({ ...summaries[0], verdict: 'maybe' }));
    const load = await loadFleet(store, now);
    expect(load.skippedLines).toBe(3);
    expect(load.summaries).toHaveLength(400);
    expect(await loadFleetSummaries(store, now, 1)).toHaveLength(2 * 144);

    const written = await writeDashboard(store, now);
    expect(written).toMatchObject({ path: 'index.html', runs: 400, skippedLines: 3 });
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('3 index line(s) could not be read');
    expect(html).toContain('data-testid="matrix-cell"');
  });

  it('accepts only lines with the fields the dashboard needs', () => {
    const [s] = fleetSummaries({ now, targets, regions: ['r'], runs: 1 });
    expect(parseSummary(JSON.stringify(s))).toEqual(s);
    expect(parseSummary('[]')).toBeUndefined();
    expect(parseSummary(JSON.stringify({ ...s, startedAt: 'yesterday' }))).toBeUndefined();
    expect(parseSummary(JSON.stringify({ ...s, target: '' }))).toBeUndefined();
  });
});
