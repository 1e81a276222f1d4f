/**
 * The demo's stale region (what `npm start` adds after its rounds): a fixture named as one, whose runs stopped three
 * hours ago and whose heartbeat says it runs every 10 minutes — its cells are stale on the dashboard, listed under
 * "Stale", while the demo's own region is not.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STALE_REGION, writeStaleRegion } from '../../src/cli/demoStale.js';
import { writeDashboard } from '../../src/sinks/dashboardSink.js';
import { dailyIndexPath } from '../../src/store/layout.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { makeRunSummary } from '../helpers/runSummary.js';

const now = new Date('2026-11-24T12:03:00.000Z');
const targets = [
  { name: 'openai-baseline', flavour: 'openai-ga', group: 'demo', baseline: true },
  { name: 'azure-ga-healthy', flavour: 'azure-ga', group: 'demo' },
];

let dir: string | undefined;
afterEach(async () => dir && rm(dir, { recursive: true, force: true }));

describe('the demo’s stale region', () => {
  it('is a labelled fixture whose cells the dashboard shows as stale', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rc-demo-stale-'));
    const store = createLocalStore(dir);
    // the demo's own round, a minute ago
    for (const t of targets)
      await store.appendLine(
        dailyIndexPath(now),
        JSON.stringify(
          makeRunSummary({ target: t.name, region: 'local', group: 'demo', startedAt: '2026-11-24T12:02:00.000Z' }),
        ),
      );
    const written = await writeStaleRegion(store, targets, now);
    expect(written).toEqual({ region: 'stale-fixture', lastRunAt: '2026-11-24T09:00:00.000Z', runs: 12 });
    await writeDashboard(store, now);
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    for (const t of targets) {
      expect(html).toMatch(
        new RegExp(
          `class="mx v-pass stale"[^>]*data-target="${t.name}" data-region="${STALE_REGION}"[^>]*data-interval-ms="600000"`,
        ),
      );
      expect(html).toMatch(new RegExp(`class="mx v-pass"[^>]*data-target="${t.name}" data-region="local"`));
    }
    const stale = /data-testid="stale">([\s\S]*?)<\/div>/.exec(html)![1]!;
    expect(stale).toContain(`azure-ga-healthy @ ${STALE_REGION}`);
    expect(stale).toContain('no run for 3 h; a run every 10 min');
    expect(stale).not.toContain('@ local');
    expect(html).toContain('run-id="fixture-20261124T0900Z"');
  });
});
