/**
 * The cards of this slice, from real analysis text: the 📅 retirement notice (title, the finding's words, the
 * facts), the ⚙️ card of a session refused because its model was retired ("retired on <date>", never "could not
 * find the deployment"), and the ⚙️ card of a 401 to an Entra token (the scope used and the one to try). Each passes
 * the Adaptive Cards parser and reads the same in the JSON payload.
 */
import { describe, expect, it } from 'vitest';
import { nextAlertState, type Notification } from '../../../src/sinks/alerts/alertState.js';
import { jsonPayload } from '../../../src/sinks/alerts/jsonPayload.js';
import { teamsCard, type TeamsEnvelope } from '../../../src/sinks/alerts/teamsCard.js';
import type { RunSummary } from '../../../src/runSummary.js';
import type { Trace } from '../../../src/trace/trace.js';
import { analyzeTrace } from '../../../src/analysis/index.js';
import { buildReport } from '../../../src/analysis/report.js';
import { retirementNotification } from '../../../src/runner/retirementNotice.js';
import { adaptiveCardProblems, cardTexts } from '../../helpers/adaptiveCards.js';
import { on, openAiRefused, refused401 } from '../../analysis/lifecycleTraces.js';
import { makeRunSummary } from '../../helpers/runSummary.js';

/** The card's texts as a person reads them (the zero-width spaces that break auto-links removed). */
const texts = (env: TeamsEnvelope): string[] => cardTexts(env).map((t) => t.replace(/\u200b/g, ''));

/** The configuration alert of a target refused twice with `headline`. */
function configurationAlert(headline: string, over: Partial<RunSummary> = {}): Notification {
  let state;
  const out: Notification[] = [];
  for (const i of [0, 1]) {
    const run = makeRunSummary({
      runId: `run-${i}`,
      startedAt: `2026-11-02T10:${i}0:00.000Z`,
      verdict: 'error',
      category: 'configuration',
      findingCodes: ['connection_rejected'],
      headline,
      turns: 0,
      failingTurns: 0,
      ...over,
    });
    const step = nextAlertState(state, run, new Date(`2026-11-02T10:${i}0:30.000Z`));
    state = step.state;
    out.push(...step.notifications);
  }
  return out[0]!;
}

describe('the retirement notice', () => {
  const message =
    'Model “gpt-realtime-mini-2025-12-15” retires on 2026-12-15, in 7 days: move the deployment to a current model ' +
    'before then. Source: Microsoft Learn (checked 2026-12-07). Also listed as 2027-06-15.';
  const summary = makeRunSummary({
    startedAt: '2026-12-08T10:00:00.000Z',
    findingCodes: ['model_retiring'],
    retirement: { model: 'gpt-realtime-mini-2025-12-15', retiresOn: '2026-12-15' },
  });
  const n = retirementNotification(summary, message, new Date('2026-12-08T10:05:00.000Z'));

  it('says which model retires when, with the finding’s words and the facts, and no incident figures', () => {
    const env = teamsCard(n, { reportUrl: 'https://x.example/report.html' });
    const t = texts(env);
    expect(t[0]).toBe('📅 aoai-sweden @ swedencentral: model gpt-realtime-mini-2025-12-15 retires on 2026-12-15');
    expect(t).toContain(message);
    expect(t).toEqual(
      expect.arrayContaining([
        'Model: gpt-realtime-mini-2025-12-15',
        'Retires on: 2026-12-15',
        'Replacement: none named by the source',
      ]),
    );
    expect(t.join('\n')).not.toMatch(/Failing turns|Coverage|support/);
    expect(env.attachments[0].content.body[0]).toMatchObject({ type: 'Container', style: 'accent' });
    expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
    expect(jsonPayload(n)).toMatchObject({ category: 'lifecycle', title: t[0] });
  });

  it('past the day, the title says the model was due', () => {
    const late = { ...n, summary: { ...summary, startedAt: '2026-12-16T00:00:00.000Z' } };
    expect(texts(teamsCard(late))[0]).toBe(
      '📅 aoai-sweden @ swedencentral: model gpt-realtime-mini-2025-12-15 was due to retire on 2026-12-15',
    );
  });
});

describe('configuration cards of this slice', () => {
  /** The summary's problem as the round builds it: the real analysis of `trace`, report.json's problem. */
  function problemOf(trace: Trace): NonNullable<RunSummary['problem']> {
    const { category: _, ...problem } = buildReport(trace, analyzeTrace(trace)).problem!;
    return problem;
  }

  it('a retired model: "was retired on <date>" in the title, and the move to make', () => {
    const problem = problemOf(on(openAiRefused('gpt-4o-realtime-preview', 'model_not_found'), '2026-06-01T00:00:00Z'));
    const env = teamsCard(configurationAlert('refused', { host: 'api.openai.com', flavour: 'openai-ga', problem }));
    const t = texts(env);
    expect(t[0]).toBe(
      '⚙️ aoai-sweden @ swedencentral: model “gpt-4o-realtime-preview” was retired on 2026-05-07 (api.openai.com no longer serves it)',
    );
    expect(t.join('\n')).toContain('move the deployment to a current model');
    expect(t.join('\n')).not.toMatch(/could not find the deployment|rejected/);
    expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
  });

  it('a 401 to an Entra token: the scope it was requested for and the one to try', () => {
    const problem = problemOf(refused401({ mode: 'entra', scope: 'https://cognitiveservices.azure.com/.default' }));
    const t = texts(teamsCard(configurationAlert('refused', { problem })));
    expect(t[0]).toMatch(/^⚙️ aoai-sweden @ swedencentral: the canary's identity lacks the data-plane role on /);
    expect(t.join('\n')).toContain(
      'The Entra ID token was requested for scope https://cognitiveservices.azure.com/.default; if the identity and ' +
        'its role assignment are right, set the target\'s "scope" (CLI: --scope) to https://ai.azure.com/.default, ' +
        'the other documented scope, and try again.',
    );
    expect(t.join('\n')).not.toMatch(/rotate the key/);
  });
});
