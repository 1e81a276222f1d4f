/**
 * The dashboard's cost section from a local store laid out as in Blob Storage: index lines with `costUsd` (and
 * "not probed: budget" lines) and spend ledgers; spend per target per day, month to date, and the month's
 * projection — the very one `realtime-canary cost` prints for the configuration, never a second formula; a run
 * without usage is of unknown cost, never $0.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costInput } from '../../src/cli/costConfig.js';
import { projectCost } from '../../src/cost/projection.js';
import { formatProjection } from '../../src/cost/projectionText.js';
import { dashboardCostHtml } from '../../src/report/costSection.js';
import { makeRunSummary } from '../helpers/runSummary.js';
import { COST_SETTINGS, NOW, costStore } from './costFixtures.js';

describe('dashboard cost section', () => {
  it('shows spend per target per day, budget skips and the month to date', async () => {
    const html = await readFile(join(await costStore(), 'index.html'), 'utf8');
    expect(html).toMatch(/data-testid="cost-cell" data-target="aoai" data-day="2026-11-09" data-usd="0\.250000"/);
    expect(html).toMatch(
      /data-testid="cost-cell" data-target="openai" data-day="2026-11-10" data-usd="0\.050000"[^>]*>\$0\.0500<div class="small"><span class="bad" data-testid="budget-skip">1 not probed: budget/,
    );
    // ledgers: $10 a day for 10 days
    expect(html).toMatch(/data-testid="cost-mtd" data-usd="100\.000000"/);
    // a budget skip is not a run of the fleet: the matrix shows openai's probed run, not an error
    expect(html).toMatch(/data-testid="matrix-cell"[^>]*data-target="openai"[^>]*data-verdict="pass"/);
  });

  it('projects the month exactly as `realtime-canary cost` prints it for the same configuration and regions', async () => {
    const html = await readFile(join(await costStore(), 'index.html'), 'utf8');
    const env = { CANARY_TARGETS: JSON.stringify(COST_SETTINGS.targets), CANARY_REGION: 'swedencentral', K: 'k' };
    const printed = formatProjection(projectCost(await costInput({ env, regions: ['swedencentral'] })));
    const total = /^total\s.*\s(\$[\d,]+\.\d\d)\s+[\d.]+ GB$/m.exec(printed)![1]!;
    expect(total).not.toBe('$0.00');
    const shown = /data-testid="cost-projection" data-usd="([\d.]+)">([^<]+)</.exec(html)!;
    expect(shown[2]).toBe(total);
    // and not the old spend-so-far extrapolation ($100 over 9.5 days × 30)
    expect(Number(shown[1])).not.toBeCloseTo((100 / 9.5) * 30, 0);
    expect(html).toContain('as `realtime-canary cost` projects this configuration: 2 target(s) × 1 region(s)');
  });

  it('says unknown for runs without usage or price, never $0, and leaves the projection to `cost` without a configuration', () => {
    const day = NOW.toISOString().slice(0, 10);
    const unknown = makeRunSummary({ target: 'aoai', startedAt: `${day}T08:00:00.000Z`, verdict: 'error' });
    const html = dashboardCostHtml([unknown], NOW);
    expect(html).toMatch(/data-testid="cost-cell" data-target="aoai" data-day="2026-11-10" data-usd="" [^>]*>unknown</);
    expect(html).not.toContain('$0.0000');
    expect(html).toContain('1 run(s) of the last 7 days of unknown cost are not in it');
    expect(html).toMatch(
      /data-testid="cost-projection" data-usd="">projected for the month: see <code>realtime-canary cost/,
    );
    // a priced run beside it: its dollars, and the unknown one counted apart
    const mixed = dashboardCostHtml([unknown, { ...unknown, runId: 'b', verdict: 'pass', costUsd: 0.2 }], NOW);
    expect(mixed).toMatch(/data-usd="0\.200000"[^>]*>\$0\.2000<div class="small">\+ 1 of unknown cost/);
  });
});
