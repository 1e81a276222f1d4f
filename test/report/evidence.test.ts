/** evidence.zip and the stored report's links: read back with fflate's reader, paths resolved like a browser would. */
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { buildEvidenceZip } from '../../src/report/evidence.js';
import { storeLinks } from '../../src/report/runLinks.js';
import { runPaths } from '../../src/store/layout.js';
import { TraceBuilder } from '../analysis/traceBuilder.js';
import { syntheticRun } from './fixtures.js';

describe('buildEvidenceZip', () => {
  const run = syntheticRun({ turns: 2, headers: { 'x-ms-region': 'Sweden Central' } });

  it('packs the event log, the WAVs, report.json and a paste-ready support summary, the same bytes every time', async () => {
    const zip = await buildEvidenceZip({ report: run.report, trace: run.trace });
    expect((await buildEvidenceZip({ report: run.report, trace: run.trace })).equals(zip)).toBe(true);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual([
      'events.jsonl',
      'prompt-1.wav',
      'prompt-2.wav',
      'report.json',
      'support-summary.txt',
      'turn-1.wav',
      'turn-2.wav',
    ]);
    expect(JSON.parse(strFromU8(files['report.json']!))).toEqual(JSON.parse(JSON.stringify(run.report)));
    expect(strFromU8(files['events.jsonl']!).split('\n')[0]).toContain('"kind":"meta"');
    expect(files['turn-1.wav']!.length).toBe(44 + run.trace.outputAudio.get(1)!.length);
    const summary = strFromU8(files['support-summary.txt']!);
    expect(summary).toMatch(/^Subject: Azure OpenAI Realtime API – silent_gap/);
    for (const s of [
      'Session id: sess_SYNTH',
      'response resp_1: created 2026-01-01T',
      'APIM request id (apim-request-id) apim-123',
      'Serving region (x-ms-region): Sweden Central',
      'Client region: swedencentral',
      'Time window (UTC)',
    ])
      expect(summary).toContain(s);
  });

  it('scrubs secrets from every text file', async () => {
    const secret = 'sk-THIS-IS-A-SECRET-KEY-123';
    const leaky = syntheticRun({ turns: 1, transcript: `Your key is ${secret}.`, headers: { 'x-request-id': secret } });
    const files = unzipSync(await buildEvidenceZip({ report: leaky.report, trace: leaky.trace, secrets: [secret] }));
    for (const [name, bytes] of Object.entries(files))
      if (!name.endsWith('.wav')) expect(strFromU8(bytes)).not.toContain(secret);
  });

  it('a configuration problem carries what to fix instead of a support summary', async () => {
    const b = new TraceBuilder().connect({ status: 404, body: 'DeploymentNotFound' });
    b.close(50, 1006, '', 'server').sessionEnd(51, 'rejected');
    const trace = b.build(2);
    const files = unzipSync(await buildEvidenceZip({ report: buildReport(trace, analyzeTrace(trace)), trace }));
    expect(Object.keys(files).sort()).toEqual(['events.jsonl', 'report.json', 'what-to-fix.txt']);
    expect(strFromU8(files['what-to-fix.txt']!)).toMatch(
      /could not find the deployment or model “gpt-realtime” at example\.openai\.azure\.com[\s\S]*Setting to fix: the target's deployment/,
    );
  });

  it('a capacity problem (HTTP 429) carries what to do, never a support case summary', async () => {
    const b = new TraceBuilder().connect({
      status: 429,
      body: '{"error":{"code":"429","message":"Rate limit reached."}}',
      headers: { 'retry-after-ms': '4000' },
    });
    b.sessionEnd(41, 'rejected');
    const trace = b.build(1);
    const files = unzipSync(await buildEvidenceZip({ report: buildReport(trace, analyzeTrace(trace)), trace }));
    expect(Object.keys(files).sort()).toEqual(['events.jsonl', 'report.json', 'what-to-fix.txt']);
    const text = strFromU8(files['what-to-fix.txt']!);
    expect(text).toMatch(/^Rate limited by example\.openai\.azure\.com; retry after 4 s\./);
    expect(text).toContain('What to do: Capacity/quota, not an outage: retry, raise the quota or move region.');
    expect(text).toContain('This is a capacity or quota problem, not a service incident');
    expect(text).not.toMatch(/Subject:|Session id|support request/);
  });
});

describe('storeLinks', () => {
  it('resolves the dashboard, the baseline sibling, the previous run and evidence.zip from a stored report', () => {
    const here = runPaths('run-20261124T1200Z', '2026-11-24T12:00:00Z', 'sweden central', 'aoai-a');
    const previous = runPaths('run-20261123T2350Z', '2026-11-23T23:50:00Z', 'sweden central', 'aoai-a');
    const links = storeLinks({
      reportHtmlPath: here.reportHtml,
      baseline: 'openai direct',
      previousReportHtmlPath: previous.reportHtml,
    });
    const resolve = (href: string) =>
      new URL(href, `https://acct.blob.core.windows.net/c/${here.reportHtml}`).pathname.replace('/c/', '');
    expect(resolve(links.dashboard!)).toBe('index.html');
    expect(decodeURIComponent(resolve(links.baseline!))).toBe(
      runPaths('run-20261124T1200Z', '2026-11-24T12:00:00Z', 'sweden central', 'openai direct').reportHtml,
    );
    expect(resolve(links.previousRun!)).toBe(previous.reportHtml);
    expect(resolve(links.evidence!)).toBe(`${here.dir}evidence.zip`);
  });
});
