/**
 * A local store laid out as in Blob Storage with index lines carrying costs, a budget skip, and spend ledgers; its
 * dashboard written with a configuration, so it projects the month as `realtime-canary cost` does.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyLedger, reserve, settle } from '../../src/cost/ledger.js';
import { writeDashboard } from '../../src/sinks/dashboardSink.js';
import { dailyIndexPath, ledgerPath } from '../../src/store/layout.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { makeRunSummary } from '../helpers/runSummary.js';
import { loadSettings } from '../../src/config/settings.js';
import { loadCatalog } from '../../src/prompts/catalog.js';

export const NOW = new Date('2026-11-10T12:00:00.000Z');

/** Writes 2 targets × runs on Nov 9 and 10 with costs, one budget skip, and ledgers for Nov 1–10 of $10/day. */
export async function costStore(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'rc-cost-dash-'));
  const store = createLocalStore(root);
  const line = (day: string, target: string, cost: number | undefined, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      ...makeRunSummary({
        runId: `r-${day}-${target}-${cost}`,
        startedAt: `${day}T08:00:00.000Z`,
        region: 'swedencentral',
        target,
        reportHtmlPath: 'x/report.html',
      }),
      ...(cost === undefined ? {} : { costUsd: cost }),
      ...extra,
    });
  await store.appendLine(dailyIndexPath('2026-11-09T08:00:00Z'), line('2026-11-09', 'aoai', 0.1));
  await store.appendLine(dailyIndexPath('2026-11-09T08:00:00Z'), line('2026-11-09', 'aoai', 0.15));
  await store.appendLine(dailyIndexPath('2026-11-10T08:00:00Z'), line('2026-11-10', 'aoai', 0.2));
  await store.appendLine(dailyIndexPath('2026-11-10T08:00:00Z'), line('2026-11-10', 'openai', 0.05));
  await store.appendLine(
    dailyIndexPath('2026-11-10T08:00:00Z'),
    line('2026-11-10', 'openai', undefined, { notProbed: 'budget', headline: 'not probed: budget' }),
  );
  for (let d = 1; d <= 10; d++) {
    const day = `2026-11-${String(d).padStart(2, '0')}`;
    const r = reserve(
      emptyLedger(day, `${day}T00:00:00Z`),
      [{ target: 'aoai', region: 'x', runId: 'r', attempt: 1, estimateUsd: 12 }],
      {},
      `${day}T00:00:00Z`,
    );
    await store.put(
      ledgerPath(day),
      JSON.stringify(settle(r.ledger, new Map([['r/x/aoai/1', 10]]), `${day}T01:00:00Z`)),
      'application/json',
    );
  }
  await writeDashboard(store, NOW, { settings: COST_SETTINGS, catalog: loadCatalog() });
  return root;
}

/** The configuration the dashboard projects the month for: the two targets of the index lines. */
export const COST_SETTINGS = loadSettings({
  CANARY_OUTPUT_DIR: '.',
  CANARY_REGION: 'swedencentral',
  CANARY_TARGETS: JSON.stringify([
    {
      name: 'aoai',
      endpoint: 'wss://x.openai.azure.com/openai/v1/realtime?model=gpt-realtime',
      auth: 'api-key',
      secretSetting: 'K',
    },
    {
      name: 'openai',
      endpoint: 'wss://api.openai.com/v1/realtime?model=gpt-realtime',
      auth: 'api-key',
      secretSetting: 'K',
    },
  ]),
  K: 'test-key-not-used',
});
