/**
 * 2026's failure scenarios end to end over loopback: the simulator plays each one, the real probe records it, the
 * analysis gives its finding and the run its category — capacity for throttling (with the limit and the wait the
 * service asked for), configuration for a refusal the canary must fix (suspended, network rule, a model that cannot
 * do realtime, a wrong key), and the session cap told apart from a dropped connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRetirement } from '../../src/realtime/lifecycle.js';
import type { Report } from '../../src/analysis/report.js';
import { resolveEndpoint, type Flavour } from '../../src/realtime/flavours.js';
import { runOne } from '../../src/runner/runOne.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { shortCatalog } from '../handlers/roundFixture.js';

const KEY = 'failure-scenarios-key-3c9e';
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY, catalog: shortCatalog() });
});
afterAll(async () => sim?.close());

/** One probe of `scenario` on `flavour`, analysed into its report (nothing written to disk). */
async function run(
  flavour: Flavour,
  scenario: string,
  key = KEY,
  retirements?: readonly ModelRetirement[],
): Promise<Report> {
  const endpoint = resolveEndpoint({ endpoint: sim.url(flavour, { scenario }) });
  const { report } = await runOne(
    { name: `${flavour}-${scenario}`, endpoint, auth: { mode: 'api-key', key } },
    {
      probe: { prompts: shortCatalog(), turns: 2, turnTimeoutMs: 15_000, settleMs: 300, pace: 'burst' },
      ...(retirements ? { retirements } : {}),
    },
  );
  return report;
}

const codes = (r: Report): string[] => [
  ...new Set(
    [...r.findings, ...r.turns.flatMap((t) => t.findings)]
      .filter((f) => f.severity === 'critical' || f.severity === 'major')
      .map((f) => f.code),
  ),
];

describe('throttling over loopback: one finding, category capacity, the wait shown', () => {
  it.each([
    ['azure-ga', 'capacity-unavailable', 'capacity_unavailable', 'capacity-unavailable', undefined, undefined],
    ['openai-ga', 'rate-limit-rpm', 'rate_limited', 'rate-limited', 'RPM', 2_500],
    ['azure-ga', 'rate-limit-rpd', 'rate_limited', 'rate-limited', 'RPD', 86_400],
    ['azure-ga', 'reject-429', 'rate_limited', 'rate-limited', undefined, 10_000],
    ['openai-ga', 'reject-429', 'rate_limited', 'rate-limited', undefined, 10_000],
    ['azure-ga', 'reject-503', 'capacity_unavailable', 'capacity-unavailable', undefined, undefined],
  ] as const)('%s %s → %s', async (flavour, scenario, code, kind, limit, wait) => {
    const r = await run(flavour, scenario);
    expect(codes(r)).toEqual([code]);
    expect(r.problem).toMatchObject({ category: 'capacity', kind });
    expect(r.problem?.limit).toBe(limit);
    expect(r.problem?.retryAfterMs).toBe(wait);
    if (wait !== undefined) {
      const f = [...r.findings, ...r.turns.flatMap((t) => t.findings)].find((x) => x.code === code)!;
      expect(f.retryAfterMs).toBe(wait);
    }
    expect(r.problem?.advice).toMatch(/^Capacity\/quota, not an outage: retry, raise the quota or move region\./);
  });

  it('a rate limit in turn 1 leaves turn 2 to be judged on its own (it passes)', async () => {
    const r = await run('openai-ga', 'rate-limit-rpm');
    expect(r.turns.map((t) => t.verdict)).toEqual(['fail', 'pass']);
  });
});

describe('refusals over loopback: classified by status and body, category configuration', () => {
  it.each([
    ['azure-ga', 'reject-403-suspended', 'suspended', undefined],
    ['azure-ga', 'reject-403-network', 'network', undefined],
    ['azure-ga', 'reject-403', 'network', undefined],
    ['azure-ga', 'reject-400-operation-not-supported', 'model-capability', 'deployment'],
    ['openai-ga', 'reject-400-operation-not-supported', 'not-found', 'deployment'],
    ['azure-ga', 'reject-401', 'auth', 'credential'],
    ['openai-ga', 'openai-bad-key', 'auth', 'credential'],
    ['openai-ga', 'openai-beta-header', 'beta-retired', 'flavour'],
  ] as const)('%s %s → %s', async (flavour, scenario, kind, setting) => {
    // no retirement table: once the simulated model's shutdown date has passed (the suite run a year ahead) a
    // refusal is rightly model-retired; these cases are about the status and the body alone
    const r = await run(flavour, scenario, KEY, []);
    expect(codes(r)).toEqual(['connection_rejected']);
    expect(r.verdict).toBe('error');
    expect(r.problem).toMatchObject({ category: 'configuration', kind });
    expect(r.problem?.setting).toBe(setting);
  });

  it('a retired model is a configuration problem on both services, never an incident', async () => {
    for (const flavour of ['azure-ga', 'openai-ga'] as const) {
      const r = await run(flavour, 'model-retired');
      expect(codes(r)).toEqual(['connection_rejected']);
      expect(r.problem?.category).toBe('configuration');
    }
  });
});

describe('the session cap over loopback', () => {
  it('session_expired then close 1001 after 4 s of a 60-minute cap: session_max_duration, not a drop; an incident', async () => {
    const r = await run('openai-ga', 'session-max-duration');
    const all = [...r.findings, ...r.turns.flatMap((t) => t.findings)];
    expect(all.map((f) => f.code)).not.toContain('connection_dropped');
    expect(all.map((f) => f.code)).not.toContain('server_error_event');
    const cap = all.find((f) => f.code === 'session_max_duration')!;
    expect(cap.message).toContain('“Your session hit the maximum duration of 60 minutes.”');
    expect(cap.message).toContain('far short of the maximum of 1 h it names');
    expect(r.problem).toMatchObject({ category: 'incident', kind: 'service' });
  });
});
