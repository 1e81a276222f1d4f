/** The cost projection (pure): per-run tokens from the catalogue (hand-checked), prices, and the printed table. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../src/cost/prices.js';
import { catalogueRunTokens, projectCost } from '../../src/cost/projection.js';
import { formatProjection } from '../../src/cost/projectionText.js';
import { projectSettings, targetRunsPerDay } from '../../src/cost/settingsProjection.js';

describe('projection', () => {
  const catalog = [{ id: 'a', promptMs: 4000, answer: 'x'.repeat(300) }];

  it('estimates a run from the catalogue, re-sending the conversation each turn', () => {
    // prompt 4 s → 40 tokens; answer 300 chars / 15 = 20 s → 400 audio tokens, 75 text tokens
    // turn 1 input audio 40, turn 2: 40 + 400 + 40 = 480 → 520 in total
    const { tokens } = catalogueRunTokens(2, ['a'], catalog);
    expect(tokens).toEqual({
      textIn: 120,
      cachedTextIn: 0,
      audioIn: 520,
      cachedAudioIn: 0,
      textOut: 150,
      audioOut: 800,
    });
    const p = projectCost({
      targets: [{ name: 't', endpoint: 'wss://x/v1/realtime?model=gpt-realtime-2' }],
      regions: ['r1', 'r2'],
      schedule: '0 0 * * * *',
      runsPerDayPerRegion: 24,
      turns: 2,
      prompts: ['a'],
      catalog,
      prices: DEFAULT_PRICES,
    });
    // 120×4 + 520×32 + 150×24 + 800×64 = 480 + 16 640 + 3 600 + 51 200 = 71 920 per 1M
    expect(p.rows[0]!.usdPerRun).toBeCloseTo(0.07192, 6);
    expect(p.rows[0]!.runsPerDay).toBe(48);
    expect(p.total.usdPerDay).toBeCloseTo(0.07192 * 48, 6);
    expect(p.total.usdPerMonth).toBeCloseTo(0.07192 * 48 * 30.44, 4);
    // WAVs: (2 × 4 s + 2 × 20 s) × 48 000 B/s + 2 × 110 KB logs, per run
    expect(p.rows[0]!.storageBytesPerMonth).toBeCloseTo((48 * 48_000 + 2 * 110_000) * 48 * 30.44, 0);
  });

  it('an unknown model is listed as no price and left out of the total', () => {
    const p = projectCost({
      targets: [{ name: 'u', deployment: 'my-custom-rt' }],
      regions: ['r'],
      schedule: '0 */10 * * * *',
      runsPerDayPerRegion: 144,
      turns: 1,
      prompts: ['a'],
      catalog,
      prices: DEFAULT_PRICES,
    });
    expect(p.rows[0]!.usdPerRun).toBeNull();
    expect(p.total.unpriced).toEqual(['u']);
    expect(formatProjection(p)).toContain('no price for model "my-custom-rt"');
  });
});

describe("a target's own interval (every)", () => {
  const catalog = [{ id: 'a', pcm: { length: 4 * 48_000 }, answer: 'x'.repeat(300) }]; // 4 s of PCM16 at 24 kHz
  const settings = {
    region: 'r1',
    schedule: '0 */10 * * * *', // 144 rounds a day
    turns: 1,
    prompts: ['a'],
    prices: DEFAULT_PRICES,
  };
  const targets = [
    { name: 'plain', deployment: 'gpt-realtime' },
    { name: 'hourly', deployment: 'gpt-realtime', every: '1h' },
    { name: 'fast', deployment: 'gpt-realtime', every: '5m' },
  ];
  const runs = (mode: 'round' | 'queue') =>
    projectSettings({ ...settings, mode }, targets, { regions: ['r1', 'r2'], catalog }).rows.map((r) => [
      r.target,
      r.runsPerDay,
    ]);

  it('runs as often as its interval, never more often than the rounds in round mode; at its own pace in queue mode', () => {
    expect(runs('round')).toEqual([
      ['plain', 288],
      ['hourly', 48],
      ['fast', 288],
    ]);
    expect(runs('queue')).toEqual([
      ['plain', 288],
      ['hourly', 48],
      ['fast', 576],
    ]);
  });

  it('is costed at its own rate, and the table says the targets differ from the schedule', () => {
    const p = projectSettings(settings, targets, { regions: ['r1'], catalog });
    const [plain, hourly] = p.rows;
    expect(hourly!.usdPerDay! / plain!.usdPerDay!).toBeCloseTo(24 / 144, 9);
    expect(formatProjection(p)).toContain('(targets with their own "every" differ)');
    expect(() => targetRunsPerDay({ name: 'bad', every: '90s' }, 144)).toThrow(/bad\.every/);
  });
});
