import { describe, expect, it } from 'vitest';
import { nextAlertState, type AlertState, type Notification } from '../../../src/sinks/alerts/alertState.js';
import { JSON_PAYLOAD_SCHEMA, jsonPayload } from '../../../src/sinks/alerts/jsonPayload.js';
import { renderPayload } from '../../../src/sinks/alerts/notify.js';
import type { FindingCode } from '../../../src/analysis/findings.js';
import type { RunSummary } from '../../../src/runSummary.js';
import {
  envelopeBytes,
  MAX_ENVELOPE_BYTES,
  teamsCard,
  type TeamsEnvelope,
} from '../../../src/sinks/alerts/teamsCard.js';
import { makeRunSummary } from '../../helpers/runSummary.js';
import { adaptiveCardProblems, cardTexts } from '../../helpers/adaptiveCards.js';

const SAS =
  'https://acct.blob.core.windows.net/canary/runs/r/report.html?sv=2025-01-05&sp=r&skoid=x&sig=SECRETSIGNATURE%3D';

/** The notifications of an alert's life: alert, reminder 6 h later, recovery. */
function lifecycle(overrides: Partial<RunSummary> = {}): Record<'alert' | 'reminder' | 'recovery', Notification> {
  const t0 = Date.parse('2026-11-02T10:00:00Z');
  let state: AlertState | undefined;
  const out: Partial<Record<string, Notification>> = {};
  const verdicts = ['fail', 'fail', ...Array(36).fill('fail'), 'pass', 'pass', 'pass'] as const;
  verdicts.forEach((verdict, i) => {
    const run = makeRunSummary({
      ...overrides,
      runId: `run-${i}`,
      startedAt: new Date(t0 + i * 600_000).toISOString(),
      verdict,
      ...(verdict === 'pass' ? { headline: undefined, findingCodes: [] } : {}),
    });
    const step = nextAlertState(state, run, new Date(t0 + i * 600_000 + 30_000));
    state = step.state;
    for (const n of step.notifications) out[n.kind] ??= n;
  });
  return out as Record<'alert' | 'reminder' | 'recovery', Notification>;
}

const texts = cardTexts;

describe('Teams card', () => {
  it('is an Adaptive Card 1.4 in the Workflows envelope, titled "<state> <target> @ <region>: <what>", with the facts', () => {
    const { alert } = lifecycle({
      comparison:
        'francecentral: 3 of 6 turns with silent gaps (max 3.1 s); baseline openai: 0 of 6 — the hosting layer is the likely cause',
    });
    const env = teamsCard(alert, { reportUrl: SAS });
    expect(env.type).toBe('message');
    expect(env.attachments).toHaveLength(1);
    expect(env.attachments[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
    });
    expect(env.attachments[0].content).toMatchObject({
      type: 'AdaptiveCard',
      version: '1.4',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    });
    const t = texts(env);
    expect(t[0]).toBe('🔴 aoai-sweden @ swedencentral: 3.1 s silent gap in 3 of 6 turns');
    expect(t[1]).toBe('gpt-realtime · azure-ga · canary-swe.openai.azure.com · group gpt-realtime');
    expect(t).toEqual(
      expect.arrayContaining([
        '2.3 s of silence at 4.1 s into the answer',
        'Verdict: fail (silent_gap, playback_underrun)',
        'Failing turns: 3 of 6',
        'Longest gap: 3.1 s',
        'Coverage: 82 %',
        'Time to first audio: 640 ms',
        'Session id: sess_C4x1',
        'Request ids: apim-request-id: 6f1c2d3e-aaaa-bbbb-cccc-0123456789ab, x-request-id: req_77',
        'Failing runs: 2 of the last 2',
        expect.stringContaining('Comparison: francecentral: 3 of 6 turns'),
      ]),
    );
    expect(env.attachments[0].content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open report', url: SAS }]);
    // Valid JSON round trip, nothing escaped into HTML entities.
    expect(JSON.parse(JSON.stringify(env))).toEqual(env);
    expect(JSON.stringify(env)).not.toMatch(/&amp;|&lt;|&#/);
  });

  it('without a link it omits the action and says where the report is', () => {
    const { alert } = lifecycle();
    const env = teamsCard(alert, { reportLocation: 'storage canarysa, container canary: runs/…/report.html' });
    expect(env.attachments[0].content.actions).toBeUndefined();
    expect(texts(env)).toContain('Report: storage canarysa, container canary: runs/…/report.html');
    expect(texts(teamsCard(alert))).toContain(`Report: ${alert.summary.reportHtmlPath}`);
  });

  it('has reminder and recovery variants that refer to the opening alert', () => {
    const { reminder, recovery } = lifecycle();
    const r = texts(teamsCard(reminder));
    expect(r[0]).toBe('🟠 aoai-sweden @ swedencentral: still failing — 3.1 s silent gap in 3 of 6 turns');
    expect(r).toContain('Open since: 2026-11-02 10:10 UTC (run run-1)');
    expect(r.join('\n')).toContain(
      'Still failing: 37 of 37 runs since the alert opened 2026-11-02 10:10 UTC by run run-1: 2.3 s of silence',
    );
    const envelope = teamsCard(recovery, { reportUrl: SAS });
    const c = texts(envelope);
    expect(c[0]).toBe('✅ aoai-sweden @ swedencentral: recovered');
    expect(c.join('\n')).toContain(
      'The alert was opened 2026-11-02 10:10 UTC by run run-1: 2.3 s of silence at 4.1 s into the answer',
    );
    expect(c).toContain('Verdict: pass');
    expect(envelope.attachments[0].content.body[0]).toMatchObject({ type: 'Container', style: 'good' });
  });

  it('stays within 20 KB with huge inputs, keeping the title, the core facts and the link', () => {
    const huge = 'x'.repeat(50_000);
    const { alert } = lifecycle({
      target: `t-${huge}`,
      deployment: `d-${'é'.repeat(5000)}`,
      headline: `h-${'🔥'.repeat(20_000)}`,
      comparison: huge,
      findingCodes: Array.from({ length: 2000 }, (_, i) => `code_${i}` as FindingCode), // codes this version does not know
      requestIds: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`x-id-${i}`, huge.slice(0, 100)])),
      sessionId: huge,
      host: huge,
    });
    const env = teamsCard(alert, { reportUrl: SAS });
    expect(envelopeBytes(env)).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
    expect(Buffer.byteLength(JSON.stringify(env))).toBeLessThanOrEqual(20_000);
    const t = texts(env);
    expect(t[0]!.startsWith('🔴 t-xxxx')).toBe(true);
    expect(t[0]!.endsWith('…')).toBe(true);
    expect(adaptiveCardProblems(env.attachments[0].content)).toEqual([]);
    for (const fact of ['Failing turns: 3 of 6', 'Longest gap: 3.1 s', 'Coverage: 82 %', 'Time to first audio: 640 ms'])
      expect(t).toContain(fact);
    expect(env.attachments[0].content.actions?.[0]?.url).toBe(SAS);
    // No broken surrogate pairs from cutting inside an emoji.
    expect(JSON.stringify(env)).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i); // JSON.stringify escapes only lone surrogates
    // Even a tiny budget is honoured (minimal card).
    const tiny = teamsCard(alert, { reportUrl: SAS, maxBytes: 2_000 });
    expect(envelopeBytes(tiny)).toBeLessThanOrEqual(2_000);
    expect(adaptiveCardProblems(tiny.attachments[0].content)).toEqual([]);
  });
});

describe('generic JSON payload', () => {
  it('carries kind, the summary, the opening alert and the report URL', () => {
    const { alert, recovery } = lifecycle();
    const p = jsonPayload(alert, SAS);
    expect(p).toMatchObject({
      schema: JSON_PAYLOAD_SCHEMA,
      kind: 'alert',
      id: 'alert:swedencentral/aoai-sweden:run-1',
      region: 'swedencentral',
      target: 'aoai-sweden',
      title: '🔴 aoai-sweden @ swedencentral: 3.1 s silent gap in 3 of 6 turns',
      reportUrl: SAS,
      reportPath: alert.summary.reportHtmlPath,
      window: { failing: 2, of: 2 },
      summary: { verdict: 'fail', failingTurns: 3, longestGapMs: 3100 },
    });
    expect(p.text).toContain('Longest gap: 3.1 s');
    expect(jsonPayload(recovery)).toMatchObject({ kind: 'recovery', reportUrl: null, opening: { runId: 'run-1' } });
    expect(renderPayload('json', alert, undefined)).toMatchObject({ kind: 'alert', reportUrl: null });
    expect(renderPayload('teams', alert, SAS)).toMatchObject({ type: 'message' });
  });
});
