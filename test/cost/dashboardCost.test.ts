/**
 * The dashboard's cost section from a local store laid out as in Blob Storage: index lines with `costUsd` (and
 * "not probed: budget" lines) and spend ledgers; spend per target per day, month to date and its projection.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monthProjection } from '../../src/report/costSection.js';
import { costStore } from './costFixtures.js';

describe('dashboard cost section', () => {
  it('shows spend per target per day, budget skips, the month to date and the projection', async () => {
    const html = await readFile(join(await costStore(), 'index.html'), 'utf8');
    expect(html).toMatch(/data-testid="cost-cell" data-target="aoai" data-day="2026-11-09" data-usd="0\.250000"/);
    expect(html).toMatch(
      /data-testid="cost-cell" data-target="openai" data-day="2026-11-10" data-usd="0\.050000"[^>]*>\$0\.0500<div class="small"><span class="bad" data-testid="budget-skip">1 not probed: budget/,
    );
    // ledgers: $10 a day for 10 days; 9.5 days elapsed at noon on the 10th → 100 / 9.5 × 30
    expect(html).toMatch(/data-testid="cost-mtd" data-usd="100\.000000"/);
    expect(html).toMatch(new RegExp(`data-testid="cost-projection" data-usd="${((100 / 9.5) * 30).toFixed(6)}"`));
    // a budget skip is not a run of the fleet: the matrix shows openai's probed run, not an error
    expect(html).toMatch(/data-testid="matrix-cell"[^>]*data-target="openai"[^>]*data-verdict="pass"/);
  });

  it('projects from the index lines when there is no ledger', () => {
    const p = monthProjection({ '2026-11-01': 3, '2026-10-31': 99 }, new Date('2026-11-02T00:00:00Z'));
    expect(p).toEqual({ mtdUsd: 3, projectedUsd: 90, daysInMonth: 30 }); // 1 day elapsed: $3 × 30
  });
});
