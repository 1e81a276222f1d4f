/**
 * The cost projection: the shipped bicepparam read as the deployment would read it,
 * per-run tokens from the catalogue (hand-checked) or from real report.json history, and the CLI's output.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../src/cost/prices.js';
import { bicepParams } from '../../src/cost/bicepparam.js';
import { costInput } from '../../src/cost/costConfig.js';
import { catalogueRunTokens, projectCost } from '../../src/cost/projection.js';
import { formatProjection } from '../../src/cost/projectionText.js';
import { readFileSync } from 'node:fs';

describe('bicepparam', () => {
  it('reads the shipped example: regions, targets (with URLs containing //) and schedule; skips expressions', () => {
    const p = bicepParams(readFileSync('infra/main.bicepparam', 'utf8'), 'main.bicepparam');
    expect(p.regions).toEqual(['swedencentral', 'francecentral', 'eastus2']);
    expect(p.schedule).toBe('0 */10 * * * *');
    const targets = p.targets as Record<string, unknown>[];
    expect(targets.map((t) => t.name)).toEqual(['aoai-swedencentral', 'aoai-francecentral', 'openai']);
    expect(targets[2]).toMatchObject({ endpoint: 'wss://api.openai.com/v1/realtime?model=gpt-realtime', baseline: true });
    expect(p.retentionDays).toEqual({ coolAfter: 30, deleteAfter: 90 });
    expect(p).not.toHaveProperty('webhookUrl');
  });
});

describe('projection', () => {
  const catalog = [{ id: 'a', promptMs: 4000, answer: 'x'.repeat(300) }];

  it('estimates a run from the catalogue, re-sending the conversation each turn', () => {
    // prompt 4 s → 40 tokens; answer 300 chars / 15 = 20 s → 400 audio tokens, 75 text tokens
    // turn 1 input audio 40, turn 2: 40 + 400 + 40 = 480 → 520 in total
    const { tokens } = catalogueRunTokens(2, ['a'], catalog);
    expect(tokens).toEqual({ textIn: 120, cachedTextIn: 0, audioIn: 520, cachedAudioIn: 0, textOut: 150, audioOut: 800 });
    const p = projectCost({
      targets: [{ name: 't', endpoint: 'wss://x/v1/realtime?model=gpt-realtime-2' }], regions: ['r1', 'r2'],
      schedule: '0 0 * * * *', runsPerDayPerRegion: 24, turns: 2, prompts: ['a'], catalog, prices: DEFAULT_PRICES,
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
      targets: [{ name: 'u', deployment: 'my-custom-rt' }], regions: ['r'],
      schedule: '0 */10 * * * *', runsPerDayPerRegion: 144, turns: 1, prompts: ['a'], catalog, prices: DEFAULT_PRICES,
    });
    expect(p.rows[0]!.usdPerRun).toBeNull();
    expect(p.total.unpriced).toEqual(['u']);
    expect(formatProjection(p)).toContain('no price for model "my-custom-rt"');
  });

  it('uses the last runs\' real usage from report.json files when given a history folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-hist-'));
    const report = (at: string, audioOut: number) => ({
      target: { name: 'openai' }, times: { startedAt: at },
      cost: { usd: 0, model: 'gpt-realtime', perTurn: [{ turn: 1, usd: 0, tokens: {} }], tokens: { textIn: 100, cachedTextIn: 0, audioIn: 200, cachedAudioIn: 0, textOut: 50, audioOut } },
    });
    for (const [i, a] of [1000, 2000, 3000].entries()) {
      await mkdir(join(dir, `runs/r${i}/openai`), { recursive: true });
      await writeFile(join(dir, `runs/r${i}/openai/report.json`), JSON.stringify(report(`2026-11-2${i}T00:00:00Z`, a)));
    }
    const input = await costInput({ bicepparamFile: 'infra/main.bicepparam', historyDir: dir, lastRuns: 2 });
    const p = projectCost(input);
    const row = p.rows.find((r) => r.target === 'openai')!;
    expect(row).toMatchObject({ source: 'history', basedOnRuns: 2 });
    expect(row.tokensPerRun.audioOut).toBe(2500); // the last two: 2000 and 3000
    expect(p.rows.find((r) => r.target === 'aoai-swedencentral')!.source).toBe('catalogue');
    expect(p.regions).toBe(3);
  });

  it('the shipped bicepparam: 3 targets × 3 regions every 10 minutes', async () => {
    const p = projectCost(await costInput({ bicepparamFile: 'infra/main.bicepparam' }));
    expect(p.total.runsPerDay).toBe(3 * 3 * 144);
    expect(p.rows.every((r) => r.usdPerRun !== null && r.usdPerRun > 0.03 && r.usdPerRun < 0.3)).toBe(true);
    const text = formatProjection(p);
    expect(text).toMatch(/^total\s.*\$[\d,]+\.\d\d\s+\$[\d,]+\.\d\d\s+[\d.]+ GB$/m);
  });

  it('docs/deploy.md shows what the command prints for the shipped bicepparam, and validate gets the same numbers', async () => {
    const input = await costInput({ bicepparamFile: 'infra/main.bicepparam' });
    const text = formatProjection(projectCost(input));
    expect(readFileSync('docs/deploy.md', 'utf8')).toContain(text);
    const { projectSettings } = await import('../../src/cost/costConfig.js');
    const { loadSettings } = await import('../../src/config/settings.js');
    const settings = loadSettings({ CANARY_OUTPUT_DIR: '.', CANARY_TARGETS: JSON.stringify(input.targets) });
    expect(projectSettings(settings, input.targets, { regions: [...input.regions] }).total.usdPerMonth).toBeCloseTo(projectCost(input).total.usdPerMonth, 9);
  });
});
