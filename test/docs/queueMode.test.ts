/**
 * docs/deploy.md's "Queue mode" quotes the code: what one round fits (src/runner/roundFit.ts with the default
 * settings), host.json's queue settings, the queue's defaults, the session budgets and what they carry, and the
 * token cost `realtime-canary cost` computes for the 1,000-target fleets it tabulates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costInput } from '../../src/cli/costConfig.js';
import { DEFAULT_DEPLOYMENT_BUDGET, DEFAULT_OPENAI_KEY_PER_DAY } from '../../src/config/quotaBudgets.js';
import { DEFAULT_PROBE_LATE_MS, DEFAULT_QUEUE_NAME } from '../../src/config/queueSettings.js';
import { loadSettings } from '../../src/config/settings.js';
import { promptLengths, projectCost } from '../../src/cost/projection.js';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { poisonQueueName } from '../../src/queue/probeQueue.js';
import { publishReserveMs } from '../../src/runner/round.js';
import { expectedSessionMs, roundCapacityMs } from '../../src/runner/roundFit.js';

const ROOT = join(import.meta.dirname, '../..');
const DEPLOY = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
const SECTION = DEPLOY.split('\n## Queue mode\n')[1] ?? '';
const HOST = JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8')) as {
  extensions: {
    queues: { batchSize: number; newBatchThreshold: number; maxDequeueCount: number; visibilityTimeout: string };
  };
};
const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
/** The section says `text` (line breaks and runs of spaces as one space). */
const says = (text: string) => expect(SECTION.replace(/\s+/g, ' ')).toContain(text.replace(/\s+/g, ' '));

/** 1,000 Azure targets of `model` on 200 deployments (5 each), as the section describes them. */
function fleet(model: string): string {
  return JSON.stringify(
    Array.from({ length: 1000 }, (_, i) => ({
      name: `aoai-${i}`,
      resource: `aoai-res-${Math.floor(i / 5)}`,
      deployment: model,
      flavour: 'azure-ga',
      auth: 'entra',
    })),
  );
}

describe("docs/deploy.md's queue-mode section", () => {
  it('exists and says what one round fits with the default settings', () => {
    expect(SECTION.length).toBeGreaterThan(1000);
    const s = loadSettings({
      CANARY_TARGETS: JSON.stringify([{ name: 't', endpoint: 'wss://x/v1/realtime?model=m', auth: 'none' }]),
      CANARY_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    });
    const capacityMs = roundCapacityMs(s.concurrency, s.roundDeadlineMs - publishReserveMs(s.roundDeadlineMs));
    const lengths = promptLengths(loadCatalog());
    const threeTurns = expectedSessionMs({}, s, lengths);
    const oneTurn = expectedSessionMs({ turns: 1 }, s, lengths);
    expect(s.turns).toBe(3);
    expect(s.prompts[0]).toBe('count-to-twenty');
    says(
      `(${s.concurrency} sessions, a ${s.roundDeadlineMs / 60_000}-minute round deadline less its ${
        publishReserveMs(s.roundDeadlineMs) / 1000
      } s publishing reserve)`,
    );
    says(`that is ${n(capacityMs / 1000)} s of\nsession time`);
    says(`about **${Math.floor(capacityMs / threeTurns)} targets of 3 turns**`);
    says(`about ${Math.round(threeTurns / 1000)} s a session`);
    says(`**${Math.floor(capacityMs / oneTurn)} targets of\n1 turn**`);
    says(`about ${(oneTurn / 1000).toFixed(1)} s)`);
  });

  it("quotes host.json's queue settings, the queue's defaults and the session budgets", () => {
    const q = HOST.extensions.queues;
    says(`| 12: the queue trigger runs at most \`batchSize\` + \`newBatchThreshold\` messages`);
    expect(q.batchSize + q.newBatchThreshold).toBe(12);
    says(`(${q.batchSize} + ${q.newBatchThreshold};`);
    says(`| ${q.maxDequeueCount} (\`maxDequeueCount\`), 10 s apart (\`visibilityTimeout\`)`);
    expect(q.visibilityTimeout).toBe('00:00:10');
    says(`Message has reached MaxDequeueCount of ${q.maxDequeueCount}.`);
    says(
      `param queueName = '${DEFAULT_QUEUE_NAME}'     // the default; its poison queue is ${poisonQueueName(DEFAULT_QUEUE_NAME)}`,
    );
    says(`\`CANARY_PROBE_LATE_MS\` (default ${DEFAULT_PROBE_LATE_MS / 1000} s)`);
    const { perMinute, perDay } = DEFAULT_DEPLOYMENT_BUDGET;
    says(`${perMinute} a minute and ${n(perDay)} a day by default`);
    says(`the canary's default budget is ${DEFAULT_OPENAI_KEY_PER_DAY} a day per OpenAI key`);
    // what a deployment and a key carry at 96 and 288 probes a day
    says(
      `one deployment carries ${Math.floor(perDay / 96)} targets probed every 15 minutes\n(${n(perDay)} a day ÷ 96)`,
    );
    says(
      `an OpenAI key ${Math.floor(DEFAULT_OPENAI_KEY_PER_DAY / 96)} (${Math.floor(DEFAULT_OPENAI_KEY_PER_DAY / 288)} at every 5 minutes)`,
    );
  });

  it('quotes the token cost `realtime-canary cost` computes for each 1,000-target fleet', async () => {
    const rows: [string, Record<string, string>, string][] = [
      [
        'every 15 minutes, `gpt-realtime`',
        { CANARY_TURNS: '1', CANARY_PROMPTS: 'count-to-twenty', CANARY_SCHEDULE: '0 */15 * * * *' },
        'gpt-realtime',
      ],
      [
        'the same on `gpt-realtime-mini`',
        { CANARY_TURNS: '1', CANARY_PROMPTS: 'count-to-twenty', CANARY_SCHEDULE: '0 */15 * * * *' },
        'gpt-realtime-mini',
      ],
      [
        'every 5 minutes, `gpt-realtime`',
        { CANARY_TURNS: '1', CANARY_PROMPTS: 'count-to-twenty', CANARY_SCHEDULE: '0 */5 * * * *' },
        'gpt-realtime',
      ],
      ['every 10 minutes), `gpt-realtime`', {}, 'gpt-realtime'],
    ];
    for (const [label, env, model] of rows) {
      const p = projectCost(await costInput({ env: { ...env, CANARY_TARGETS: fleet(model) } }));
      expect(p.rows).toHaveLength(1000);
      const line = SECTION.split('\n').find((l) => l.startsWith('| ') && l.includes(label));
      expect(line, label).toBeDefined();
      expect(line, label).toContain(`| ${n(p.total.runsPerDay)} | **$${n(p.total.usdPerDay)}** |`);
    }
    const p15 = projectCost(await costInput({ env: { ...rows[0]![1], CANARY_TARGETS: fleet('gpt-realtime') } }));
    says(`about ${(p15.total.storageBytesPerMonth / 1e12).toFixed(1)} TB of WAVs and reports a month`);
  });
});
