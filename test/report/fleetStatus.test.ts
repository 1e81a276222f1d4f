/**
 * What each cell of the fleet dashboard is now: failing cells with what broke and when their alert opened,
 * configuration, capacity, not probed (any reason), muted (with the mute's end) and stale (older than two of its
 * region's intervals) in groups of their own; the baseline beside its group; the time-to-detect line; latency p50 /
 * p95 per target and day.
 */
import { describe, expect, it } from 'vitest';
import { renderDashboard } from '../../src/report/dashboardHtml.js';
import { aggregateFleet } from '../../src/report/fleetAggregate.js';
import { detectLine, spanText } from '../../src/report/fleetGroups.js';
import { dailyLatency } from '../../src/report/fleetLatency.js';
import { isStale, rowStatus, type FleetContext } from '../../src/report/fleetStatus.js';
import type { RunSummary } from '../../src/runSummary.js';
import { makeRunSummary } from '../helpers/runSummary.js';

const now = new Date('2026-11-24T12:00:00.000Z');
const MIN = 60_000;

function line(target: string, region: string, agoMin: number, o: Partial<RunSummary> = {}): RunSummary {
  const startedAt = new Date(now.getTime() - agoMin * MIN).toISOString();
  return makeRunSummary({
    runId: `run-${target}-${region}-${agoMin}`,
    startedAt,
    target,
    region,
    group: 'g',
    reportHtmlPath: `runs/${target}/${region}/${agoMin}/report.html`,
    ...o,
  });
}

const ctx = (o: Partial<FleetContext> = {}): FleetContext => ({
  regionIntervals: { swedencentral: 10 * MIN, eastus2: 10 * MIN },
  defaultIntervalMs: 15 * MIN,
  targetIntervals: {},
  openAlerts: new Map(),
  mutes: [],
  ...o,
});

/** A small fleet: one of each kind of cell, all in swedencentral, plus eastus2 whose canary stopped 45 min ago. */
function fleetLines(): RunSummary[] {
  return [
    line('openai', 'swedencentral', 5, { flavour: 'openai-ga', baseline: true }),
    line('aoai-ok', 'swedencentral', 5),
    line('aoai-gap', 'swedencentral', 15, { verdict: 'fail', turns: 3, failingTurns: 2, longestGapMs: 2600 }),
    line('aoai-gap', 'swedencentral', 5, {
      verdict: 'fail',
      turns: 3,
      failingTurns: 2,
      longestGapMs: 2600,
      findingCodes: ['silent_gap'],
    }),
    line('aoai-key', 'swedencentral', 5, {
      verdict: 'error',
      category: 'configuration',
      problem: { kind: 'auth', what: 'the key was refused (HTTP 401)', advice: 'rotate it' },
    }),
    line('aoai-busy', 'swedencentral', 5, { verdict: 'error', category: 'capacity', findingCodes: ['rate_limited'] }),
    line('aoai-skip', 'swedencentral', 25),
    line('aoai-skip', 'swedencentral', 5, { notProbed: 'round full' as 'budget', headline: 'not probed: round full' }),
    line('aoai-muted', 'swedencentral', 5, {
      verdict: 'fail',
      findingCodes: ['audio_truncated'],
      muted: { until: '2026-11-24T18:00:00.000Z', scope: 'target aoai-muted', reason: 'planned upgrade' },
    }),
    line('aoai-ok', 'eastus2', 45),
    line('openai', 'eastus2', 45, { flavour: 'openai-ga', baseline: true }),
  ];
}

describe('rowStatus', () => {
  const fleet = aggregateFleet(fleetLines(), now);
  const c = ctx({ openAlerts: new Map([['aoai-gap\u0000swedencentral', '2026-11-24T11:55:30.000Z']]) });
  const status = (t: string, r = 'swedencentral') =>
    rowStatus(
      fleet.rows.find((x) => x.target === t && x.region === r)!,
      c,
      now,
    );

  it('puts each cell in its own group, with what broke and when the alert opened', () => {
    expect(status('aoai-gap')).toMatchObject({
      home: 'failing',
      what: '2.6 s silent gap in 2 of 3 turns',
      openedAt: '2026-11-24T11:55:30.000Z',
      stale: false,
    });
    expect(status('aoai-key')).toMatchObject({ home: 'configuration', what: 'the key was refused (HTTP 401)' });
    expect(status('aoai-busy').home).toBe('capacity');
    expect(status('aoai-skip')).toMatchObject({ home: 'not-probed', what: 'not probed: round full' });
    expect(status('aoai-muted')).toMatchObject({
      home: 'muted',
      kind: 'failing',
      muted: { until: '2026-11-24T18:00:00.000Z', scope: 'target aoai-muted' },
    });
    expect(status('aoai-ok').home).toBe('pass');
  });

  it('calls a cell stale past two of its region’s intervals, whatever its verdict', () => {
    expect(status('aoai-ok', 'eastus2')).toMatchObject({ home: 'pass', stale: true, intervalMs: 10 * MIN });
    expect(isStale(now.getTime() - 20 * MIN, 10 * MIN, now.getTime())).toBe(false);
    expect(isStale(now.getTime() - 20 * MIN - 1, 10 * MIN, now.getTime())).toBe(true);
    // a region without a heartbeat: the default interval
    const other = aggregateFleet([line('aoai-ok', 'westus', 25)], now).rows[0]!;
    expect(rowStatus(other, c, now)).toMatchObject({ intervalMs: 15 * MIN, stale: false });
    // a target probed every hour (its own `every`) is not stale 45 min after its run
    const hourly = fleet.rows.find((x) => x.target === 'aoai-ok' && x.region === 'eastus2')!;
    expect(rowStatus(hourly, { ...c, targetIntervals: { 'aoai-ok': 60 * MIN } }, now)).toMatchObject({
      intervalMs: 60 * MIN,
      stale: false,
    });
  });

  it('ends a mute at its end, and takes a configured mute that the run did not carry', () => {
    const later = new Date('2026-11-24T18:00:01.000Z');
    const row = fleet.rows.find((x) => x.target === 'aoai-muted')!;
    expect(rowStatus(row, c, later)).toMatchObject({ home: 'failing' });
    const ok = fleet.rows.find((x) => x.target === 'aoai-ok' && x.region === 'swedencentral')!;
    const mutes = [{ group: 'g', until: '2026-11-25T00:00:00.000Z' }];
    expect(rowStatus(ok, ctx({ mutes }), now)).toMatchObject({ home: 'muted', muted: { scope: 'group g' } });
  });
});

describe('the dashboard page', () => {
  const html = renderDashboard(fleetLines(), now, {
    regionIntervals: { swedencentral: 10 * MIN, eastus2: 10 * MIN },
    openAlerts: new Map([['aoai-gap\u0000swedencentral', '2026-11-24T11:55:30.000Z']]),
    detection: { schedule: '0 */10 * * * *', intervalMs: 10 * MIN, k: 2, n: 3 },
  });
  const group = (testId: string): string =>
    new RegExp(`data-testid="${testId}"[^>]*>([\\s\\S]*?)</div>`).exec(html)?.[1] ?? '';

  it('lists failing cells first with their headline and the alert’s opening, each other kind in its own group', () => {
    const order = [...html.matchAll(/data-group="([a-z-]+)" data-testid/g)].map((m) => m[1]);
    expect(order).toEqual(['failing', 'stale', 'capacity', 'configuration', 'not-probed', 'muted']);
    expect(group('failing-now')).toMatch(
      /aoai-gap @ swedencentral<\/a> <span class="what">2\.6 s silent gap in 2 of 3 turns<\/span> · alert opened 2026-11-24 11:55:30 UTC <span class="ago" data-t="\d+">\(5 min ago\)<\/span> · baseline openai passes/,
    );
    expect(group('failing-now')).not.toMatch(/aoai-(key|busy|skip|muted)|eastus2/);
    expect(group('misconfigured')).toContain('aoai-key @ swedencentral');
    expect(group('capacity')).toContain('aoai-busy @ swedencentral');
    expect(group('not-probed')).toContain('not probed: round full');
    expect(group('muted')).toMatch(
      /aoai-muted @ swedencentral[\s\S]*muted until 2026-11-24 18:00:00 UTC \(target aoai-muted: planned upgrade\)/,
    );
    expect(group('stale')).toMatch(/aoai-ok @ eastus2[\s\S]*no run for 45 min; a run every 10 min/);
    expect(group('stale')).toContain('openai @ eastus2');
  });

  it('says how long a fault takes to alert with the schedule and rule', () => {
    expect(html).toContain(
      'Time to detect with these settings: 10–20 min — a run every 10 min (CANARY_SCHEDULE 0 */10 * * * *) × an alert when 2 of the last 3 runs fail',
    );
    expect(detectLine({ schedule: '0 */5 * * * *', intervalMs: 5 * MIN, k: 3, n: 5 })).toMatch(
      /: 10–15 min — a run every 5 min/,
    );
    expect(spanText(30_000, 60_000)).toBe('30 s–1 min');
    const every = detectLine({
      schedule: '0 */10 * * * *',
      intervalMs: 10 * MIN,
      k: 2,
      n: 3,
      every: [{ target: 'slow', everyMs: 120 * MIN }],
    });
    expect(every).toMatch(/Targets with their own interval: slow \(every 2 h\) 2–4 h\.$/);
  });

  it('puts the baseline first in its group and the failing targets above the passing ones', () => {
    const targets = [...html.matchAll(/<tr data-testid="matrix-row" data-target="([^"]+)"/g)].map((m) => m[1]);
    expect(targets[0]).toBe('openai');
    expect(targets.indexOf('aoai-gap')).toBeLessThan(targets.indexOf('aoai-ok'));
    expect(targets.indexOf('aoai-busy')).toBeLessThan(targets.indexOf('aoai-ok'));
    expect(html).toMatch(
      /<tr class="grp"><th colspan="3">group g<\/th><\/tr><tr data-testid="matrix-row" data-target="openai">/,
    );
    // the baseline table follows the matrix instead of the strips' 24 h and 7 d
    expect(html.indexOf('data-testid="baselines"')).toBeLessThan(html.indexOf('Last 24 hours'));
  });

  it('marks the cells: stale as of rendering, muted with its end, not probed with its reason', () => {
    expect(html).toMatch(/class="mx v-pass stale"[^>]*data-target="aoai-ok" data-region="eastus2"[^>]*>stale<\/a>/);
    expect(html).toMatch(
      /data-target="aoai-muted"[^>]*data-muted="1">fail<\/a><div class="small muted"><span class="mute" data-testid="muted-until">muted until 2026-11-24 18:00:00 UTC/,
    );
    expect(html).toMatch(
      /data-target="aoai-skip"[^>]*data-state="not-probed"[^>]*>not probed<\/a><div class="small muted"><span data-testid="not-probed-reason">not probed: round full/,
    );
  });
});

describe('dailyLatency', () => {
  it('gives p50 and p95 of the turns of a target’s day, all regions together', () => {
    const first = Array.from({ length: 20 }, (_, i) => 400 + i * 10); // 400 … 590
    const lines = [0, 1].map((k) =>
      line('aoai', k ? 'eastus2' : 'swedencentral', 5 + k, {
        timing: {
          firstAudioMs: first.slice(k * 10, k * 10 + 10),
          finalAnswerMs: first.slice(k * 10, k * 10 + 10).map((v) => v + 3000),
        },
      }),
    );
    const day = dailyLatency([
      ...lines,
      line('aoai', 'x', 7, { notProbed: 'budget', timing: { firstAudioMs: [9999], finalAnswerMs: [] } }),
    ])
      .get('aoai')!
      .get('2026-11-24')!;
    // nearest rank: p50 = 10th of 20 = 490, p95 = 19th = 580
    expect(day).toEqual({ turns: 20, first: { p50: 490, p95: 580 }, final: { p50: 3490, p95: 3580 } });
    // an older line without per-turn figures counts its median first audio once
    const old = dailyLatency([line('b', 'r', 5, { timing: undefined, timeToFirstAudioMs: 640 })])
      .get('b')!
      .get('2026-11-24')!;
    expect(old).toEqual({ turns: 1, first: { p50: 640, p95: 640 }, final: { p50: null, p95: null } });
  });
});
