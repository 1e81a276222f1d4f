/**
 * Model lifecycle in the analysis, on the run's own day (the trace's start time, injected here — never today's
 * date): the 30-day window of `model_retiring`, a model past its day that still answers, a refusal of a retired
 * model worded "retired on <date>" (after a 101 on OpenAI, in an HTTP body on Azure), the same refusal before the
 * day left alone, and a 401 to an Entra token naming its scope. Every report validates against the schema.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import type { ModelRetirement } from '../../src/realtime/lifecycle.js';
import type { Trace } from '../../src/trace/trace.js';
import { azureSession, on, openAiRefused, refused401 } from './lifecycleTraces.js';
import { openAiSession } from './realWire.js';
import { reportErrors } from './schema.js';
import { TraceBuilder } from './traceBuilder.js';

function analyse(trace: Trace, table?: readonly ModelRetirement[]) {
  const a = analyzeTrace(trace, {}, undefined, table);
  const report = buildReport(trace, a);
  expect(reportErrors(JSON.parse(JSON.stringify(report)))).toEqual([]);
  return { a, report, retiring: a.findings.filter((f) => f.code === 'model_retiring') };
}

describe('model_retiring: the model session.created declares, on the run’s day', () => {
  const mini = 'gpt-realtime-mini-2025-12-15'; // Azure: retires 2026-12-15

  it('is an info finding 30 days before the day, naming the day, the days left and the source; the verdict stays', () => {
    const { a, report, retiring } = analyse(on(azureSession(mini), '2026-11-15T23:59:00.000Z'));
    expect(retiring).toHaveLength(1);
    expect(retiring[0]).toMatchObject({ severity: 'info', turn: null });
    expect(retiring[0]!.message).toMatch(
      new RegExp(
        '^Model “gpt-realtime-mini-2025-12-15” retires on 2026-12-15, in 30 days: move the deployment to a current ' +
          'model before then\\. Source: Microsoft Learn, “Model retirement schedule”.*\\(checked 2026-12-07\\)\\.$',
      ),
    );
    expect(report.lifecycle).toMatchObject({
      service: 'azure',
      model: mini,
      from: 'session.created',
      retiresOn: '2026-12-15',
      daysLeft: 30,
      replacement: null,
      versionUnknown: false,
    });
    expect(report.lifecycle!.note).toMatch(/2027-06-15.*earlier one is used/);
    expect(report.summary.findingCodes).toContain('model_retiring');
    expect(a.verdict).toBe(analyzeTrace(on(azureSession(mini), '2026-10-01T00:00:00.000Z')).verdict);
  });

  it('is not raised 31 days before, but the report still carries the model’s lifecycle', () => {
    const { retiring, report } = analyse(on(azureSession(mini), '2026-11-14T12:00:00.000Z'));
    expect(retiring).toEqual([]);
    expect(report.lifecycle).toMatchObject({ retiresOn: '2026-12-15', daysLeft: 31 });
  });

  it('names the replacement where the source does, and says "in 1 day" the day before', () => {
    const { retiring } = analyse(on(openAiSession().build(1), '2027-01-19T08:00:00.000Z'));
    expect(retiring[0]!.message).toMatch(
      /^Model “gpt-realtime” retires on 2027-01-20, in 1 day: move the deployment to gpt-realtime-2\.1 before then\./,
    );
  });

  it('a model past its day that still answered says it was due, and when', () => {
    const { retiring, report } = analyse(on(azureSession('gpt-realtime-2-2026-05-06'), '2026-09-03T00:00:00.000Z'));
    expect(report.lifecycle!.daysLeft).toBe(-3);
    expect(retiring[0]!.message).toMatch(
      /^Model “gpt-realtime-2-2026-05-06” was due to retire on 2026-08-31, 3 days before this run, and still answered: move the deployment to gpt-realtime-2\.1\./,
    );
  });

  it('a model without a version takes the version due next and says so', () => {
    const { retiring, report } = analyse(on(azureSession('gpt-realtime-mini'), '2026-12-07T10:00:00.000Z'));
    expect(report.lifecycle).toMatchObject({ retiresOn: '2026-12-15', versionUnknown: true, daysLeft: 8 });
    expect(retiring[0]!.message).toContain('(its version is not named: the date of the version due next)');
  });

  it('uses the table it is given: an override moves the day out of the window', () => {
    const table: ModelRetirement[] = [
      {
        service: 'azure',
        model: 'gpt-realtime-mini',
        version: '2025-12-15',
        retiresOn: '2027-06-15',
        source: 's',
        checkedOn: '2026-12-01',
      },
    ];
    const { retiring, report } = analyse(on(azureSession(mini), '2026-12-07T10:00:00.000Z'), table);
    expect(retiring).toEqual([]);
    expect(report.lifecycle).toMatchObject({ retiresOn: '2027-06-15', source: 's' });
  });

  it('says nothing of a model the table does not know', () => {
    const { report, retiring } = analyse(on(azureSession('gpt-realtime-2.1-2026-07-07'), '2026-12-07T10:00:00.000Z'));
    expect(retiring).toEqual([]);
    expect(report.lifecycle!.retiresOn).toBe('2027-06-25');
    expect(analyse(on(azureSession('my-own-model'), '2026-12-07T10:00:00.000Z')).report.lifecycle).toBeUndefined();
  });
});

describe('a refusal of a retired model says "retired on <date>"', () => {
  it('OpenAI model_not_found after the preview models were shut down', () => {
    const { a, report, retiring } = analyse(
      on(openAiRefused('gpt-4o-realtime-preview-2024-12-17', 'model_not_found'), '2026-06-01T00:00:00.000Z'),
    );
    const rejected = a.findings.filter((f) => f.code === 'connection_rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.message).toMatch(
      /^Model “gpt-4o-realtime-preview-2024-12-17” was retired on 2026-05-07 \(https:\/\/www\.modelcostwatch\.com\/[^)]*\): /,
    );
    expect(rejected[0]!.message).toMatch(
      /: OpenAI answered model_not_found \(“The model .* does not exist or you do not have access to it\.”\)\. Nothing will/,
    );
    expect(rejected[0]!.message).toContain('move the deployment to gpt-realtime and update the target');
    expect(rejected[0]!.message).not.toMatch(/rejected|refused/);
    expect(retiring).toEqual([]);
    expect(a.verdict).toBe('error');
    expect(report.lifecycle).toMatchObject({ from: 'url', daysLeft: -25 });
    expect(report.summary.headline).toMatch(/^Model “gpt-4o-realtime-preview-2024-12-17” was retired on 2026-05-07 /);
    expect(report.problem).toEqual({
      category: 'configuration',
      kind: 'model-retired',
      what: 'model “gpt-4o-realtime-preview-2024-12-17” was retired on 2026-05-07 (api.openai.com no longer serves it)',
      setting: 'deployment',
      advice:
        "A retired model does not come back: move the deployment to a current model and point the target's " +
        'deployment at it. Its source names gpt-realtime as the replacement.',
    });
  });

  it('OpenAI invalid_model on the retirement day itself', () => {
    const { a } = analyse(
      on(openAiRefused('gpt-realtime-mini-2025-10-06', 'invalid_model'), '2026-07-23T00:00:00.000Z'),
    );
    expect(a.findings[0]!.message).toMatch(/^Model “gpt-realtime-mini-2025-10-06” was retired on 2026-07-23 /);
  });

  it('the same refusal before the day is the ordinary refusal, and a refusal for another reason is left alone', () => {
    const before = analyse(on(openAiRefused('gpt-4o-realtime-preview', 'model_not_found'), '2026-05-06T23:00:00.000Z'));
    expect(before.a.findings[0]!.message).toMatch(/^OpenAI refused the session: model_not_found/);
    const key = analyse(on(openAiRefused('gpt-4o-realtime-preview', 'invalid_api_key'), '2026-06-01T00:00:00.000Z'));
    expect(key.a.findings[0]!.message).toMatch(/^OpenAI refused the session: invalid_api_key/);
  });

  it('an Azure upgrade refused with HTTP 404 and model_not_found in its body', () => {
    const b = new TraceBuilder({ flavour: 'azure-ga' }).connect({
      status: 404,
      body: JSON.stringify({
        error: { code: 'model_not_found', message: 'The model gpt-realtime-2 is no longer available.' },
      }),
    });
    b.sessionEnd(50, 'rejected');
    const trace = b.build(1);
    trace.meta.target = { ...trace.meta.target, deployment: 'gpt-realtime-2' };
    const { a } = analyse(on(trace, '2026-09-10T00:00:00.000Z'));
    expect(a.findings.map((f) => f.code)).toEqual(['connection_rejected']);
    expect(a.findings[0]!.message).toMatch(/^Model “gpt-realtime-2” was retired on 2026-08-31 \(Microsoft Learn.*\): /);
    expect(a.findings[0]!.message).toMatch(
      /Azure OpenAI answered model_not_found \(“The model gpt-realtime-2 is no longer available\.”\)\. .*move the deployment to gpt-realtime-2\.1/,
    );
  });
  it('an Azure 404 without a code, for a deployment named after a retired model, and not before its day', () => {
    const refused404 = (iso: string) => {
      const b = new TraceBuilder({ flavour: 'azure-ga' }).connect({
        status: 404,
        body: '{"error":{"code":"404","message":"Resource not found"}}',
      });
      b.sessionEnd(50, 'rejected');
      const trace = b.build(1);
      trace.meta.target = { ...trace.meta.target, deployment: 'gpt-realtime-2' };
      return analyse(on(trace, iso)).a.findings[0]!.message;
    };
    expect(refused404('2026-09-01T00:00:00.000Z')).toMatch(
      /^Model “gpt-realtime-2” was retired on 2026-08-31 .*: Azure OpenAI answered HTTP 404 \(“Resource not found”\)\./,
    );
    expect(refused404('2026-08-30T00:00:00.000Z')).toMatch(/^The WebSocket upgrade was rejected with HTTP 404/);
  });
});

describe('a 401 to an Entra ID token names the scope it was requested for', () => {
  it('and suggests the other documented scope, in the finding and the report', () => {
    const { a, report } = analyse(refused401({ mode: 'entra', scope: 'https://cognitiveservices.azure.com/.default' }));
    const sentence =
      'The Entra ID token was requested for scope https://cognitiveservices.azure.com/.default; if the identity and ' +
      'its role assignment are right, set the target\'s "scope" (CLI: --scope) to https://ai.azure.com/.default, the ' +
      'other documented scope, and try again.';
    expect(a.findings[0]!.message).toMatch(/^The WebSocket upgrade was rejected with HTTP 401 /);
    expect(a.findings[0]!.message.endsWith(` ${sentence}`)).toBe(true);
    // PermissionDenied reads as the identity's role (docs/report-schema.md); the scope may be the cause all the same
    expect(report.problem).toMatchObject({ kind: 'role', category: 'configuration' });
    expect(report.problem!.advice!.endsWith(` ${sentence}`)).toBe(true);
    const other = analyse(refused401({ mode: 'entra', scope: 'https://ai.azure.com/.default' }));
    expect(other.a.findings[0]!.message).toMatch(
      /scope https:\/\/ai\.azure\.com\/\.default; .* to https:\/\/cognitiveservices\.azure\.com\/\.default, the other documented scope, and try again\.$/,
    );
  });

  it('says nothing of scopes for a key, or a trace that did not record its auth', () => {
    for (const run of [analyse(refused401({ mode: 'api-key' })), analyse(refused401(undefined))]) {
      expect(run.a.findings[0]!.message).not.toContain('Entra');
      expect(run.report.problem!.advice).not.toContain('was requested for scope');
    }
  });
});
