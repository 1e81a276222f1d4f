/**
 * The inputs of `realtime-canary cost` and `validate`'s projection: the shipped bicepparam read as the deployment
 * would read it, real report.json history, and the printed output docs/deploy.md shows.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicepParams } from '../../src/cli/bicepparam.js';
import { costInput, HISTORY_NEEDS_TARGETS } from '../../src/cli/costConfig.js';
import { runCli } from './cliRun.js';
import { projectCost } from '../../src/cost/projection.js';
import { formatProjection } from '../../src/cost/projectionText.js';

describe('bicepparam', () => {
  it('reads the shipped example: regions, targets (with URLs containing //) and schedule; skips expressions', () => {
    const p = bicepParams(readFileSync('infra/main.bicepparam', 'utf8'), 'main.bicepparam');
    expect(p.regions).toEqual(['swedencentral', 'francecentral', 'eastus2']);
    expect(p.schedule).toBe('0 */10 * * * *');
    const targets = p.targets as Record<string, unknown>[];
    expect(targets.map((t) => t.name)).toEqual(['aoai-swedencentral', 'aoai-francecentral', 'openai']);
    expect(targets[2]).toMatchObject({
      endpoint: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
      baseline: true,
    });
    expect(p.retentionDays).toEqual({ coolAfter: 30, deleteAfter: 90 });
    expect(p).not.toHaveProperty('webhookUrl');
  });
});

describe('cost inputs', () => {
  it("uses the last runs' real usage from report.json files when given a history folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-hist-'));
    const report = (at: string, audioOut: number) => ({
      target: { name: 'openai' },
      times: { startedAt: at },
      cost: {
        usd: 0,
        model: 'gpt-realtime',
        perTurn: [{ turn: 1, usd: 0, tokens: {} }],
        tokens: { textIn: 100, cachedTextIn: 0, audioIn: 200, cachedAudioIn: 0, textOut: 50, audioOut },
      },
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

  it('cost --history DIR alone exits 2 saying it needs the targets too; with --targets it prints the history estimate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-hist-cli-'));
    await mkdir(join(dir, 'runs/r1/t'), { recursive: true });
    const tokens = { textIn: 100, cachedTextIn: 0, audioIn: 200, cachedAudioIn: 0, textOut: 50, audioOut: 900 };
    const cost = { usd: 0, model: 'gpt-realtime', perTurn: [{ turn: 1, usd: 0, tokens }], tokens };
    const run = { target: { name: 't' }, times: { startedAt: '2026-11-20T00:00:00Z' }, cost };
    await writeFile(join(dir, 'runs/r1/t/report.json'), JSON.stringify(run));
    const env = { CANARY_TARGETS: undefined, CANARY_CONFIG_BLOB: undefined };
    const alone = await runCli(['cost', '--history', dir], env);
    expect(alone.code).toBe(2);
    expect(alone.stderr.trim()).toBe(
      'realtime-canary cost: targets: none given: pass --bicepparam, --targets FILE, --settings local.settings.json or ' +
        `set CANARY_TARGETS${HISTORY_NEEDS_TARGETS}`,
    );
    const targets = join(dir, 'targets.json');
    await writeFile(
      targets,
      JSON.stringify([{ name: 't', endpoint: 'wss://x/v1/realtime?model=gpt-realtime', auth: 'none' }]),
    );
    const both = await runCli(['cost', '--targets', targets, '--history', dir], env);
    expect(both.code, both.out).toBe(0);
    expect(both.stdout).toMatch(/^t\s.*last 1 run\(s\)/m);
    expect((await runCli(['cost', '--help'])).stdout).toContain('still come from one of the sources above');
  });

  it('reads --settings like validate: the environment wins, the file fills in what it does not set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-cost-settings-'));
    const file = join(dir, 'local.settings.json');
    const targets = JSON.stringify([{ name: 't', endpoint: 'wss://x/v1/realtime?model=gpt-realtime', auth: 'none' }]);
    await writeFile(
      file,
      JSON.stringify({
        IsEncrypted: false,
        Values: { CANARY_TARGETS: targets, CANARY_TURNS: '2', CANARY_SCHEDULE: '0 0 * * * *' },
      }),
    );
    const input = await costInput({ env: { CANARY_TURNS: '1' }, settingsFile: file });
    expect(input).toMatchObject({ turns: 1, schedule: '0 0 * * * *', runsPerDayPerRegion: 24 });
    expect(input.targets.map((t) => t.name)).toEqual(['t']);
    await writeFile(file, JSON.stringify({ CANARY_TARGETS: targets }));
    await expect(costInput({ settingsFile: file })).rejects.toThrow(/has no "Values" object/);
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
    const { projectSettings } = await import('../../src/cost/settingsProjection.js');
    const { loadCatalog } = await import('../../src/prompts/catalog.js');
    const { loadSettings } = await import('../../src/config/settings.js');
    const settings = loadSettings({ CANARY_OUTPUT_DIR: '.', CANARY_TARGETS: JSON.stringify(input.targets) });
    expect(
      projectSettings(settings, input.targets, { regions: [...input.regions], catalog: loadCatalog() }).total
        .usdPerMonth,
    ).toBeCloseTo(projectCost(input).total.usdPerMonth, 9);
  });
});
