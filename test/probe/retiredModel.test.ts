/**
 * A retired model over loopback against the simulator's `model-retired` scenario (OpenAI: 101, `model_not_found`,
 * close 4000; Azure: HTTP 404 "Resource not found"), on an injected day: the refusal says "Model … was retired on
 * <date>" with the replacement, the run is a configuration problem with what to fix, and the same refusal of a model
 * the table does not know stays an ordinary refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCategory } from '../../src/analysis/category.js';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { runProbe } from '../../src/probe/session.js';
import { resolveEndpoint, type Flavour } from '../../src/realtime/flavours.js';
import { reportProblem } from '../../src/report/configuration.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';

const KEY = 'retired-model-test-key-3f9a';
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY });
});
afterAll(async () => sim?.close());

async function refusedRun(flavour: Flavour, deployment: string) {
  const endpoint = resolveEndpoint({ endpoint: sim.url(flavour, { deployment, scenario: 'model-retired' }) });
  const trace = await runProbe(
    { name: `retired-${flavour}`, endpoint, auth: { mode: 'api-key', key: KEY } },
    { prompts: [loadCatalog()[0]!], turns: 1, pace: 'burst', now: () => new Date('2026-12-07T10:00:00Z') },
  );
  const analysis = analyzeTrace(trace);
  return { trace, analysis, report: buildReport(trace, analysis) };
}

describe('a retired model, refused by the simulator', () => {
  it('OpenAI: model_not_found after the 101 reads "was retired on 2026-05-07", a configuration problem', async () => {
    const { trace, analysis, report } = await refusedRun('openai-ga', 'gpt-4o-realtime-preview');
    expect(analysis.verdict).toBe('error');
    expect(analysis.findings.map((f) => f.code)).toEqual(['connection_rejected']);
    const message = analysis.findings[0]!.message;
    expect(message).toMatch(/^Model “gpt-4o-realtime-preview” was retired on 2026-05-07 \(/);
    expect(message).toMatch(/OpenAI answered model_not_found \(“The model .* has been deprecated/);
    expect(message).toContain('move the deployment to gpt-realtime and update the target');
    expect(runCategory(trace, analysis)).toBe('configuration');
    expect(reportProblem(report)).toMatchObject({
      category: 'configuration',
      what: `Model “gpt-4o-realtime-preview” was retired on 2026-05-07 (${trace.meta.target.host} no longer serves it).`,
    });
    expect(reportProblem(report)!.fix).toMatch(/Its source names gpt-realtime as the replacement\. Setting to fix: /);
  });

  it('Azure: a 404 for a deployment named after a retired model reads "was retired on 2026-08-31"', async () => {
    const { trace, analysis } = await refusedRun('azure-ga', 'gpt-realtime-2');
    expect(analysis.findings.map((f) => f.code)).toEqual(['connection_rejected']);
    expect(analysis.findings[0]!.message).toMatch(
      /^Model “gpt-realtime-2” was retired on 2026-08-31 \(Microsoft Learn.*\): Azure OpenAI answered HTTP 404 \(“Resource not found”\)\./,
    );
    expect(analysis.findings[0]!.message).toContain('move the deployment to gpt-realtime-2.1');
    expect(runCategory(trace, analysis)).toBe('configuration');
  });

  it('a model the table does not know keeps the ordinary refusal', async () => {
    const { analysis } = await refusedRun('azure-ga', 'my-voice-bot');
    expect(analysis.findings[0]!.message).toMatch(/^The WebSocket upgrade was rejected with HTTP 404 /);
    expect(analysis.findings[0]!.message).not.toMatch(/retired/);
  });
});
