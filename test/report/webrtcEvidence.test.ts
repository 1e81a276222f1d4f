/**
 * A WebRTC run's evidence, complete (issue 20 §6), from a real WebRTC probe (werift peers over loopback) against the
 * simulator with an RTP stall on turn 1: the call id `rtc_…` is in "Ids for support", the support case summary, the
 * alert card's facts and evidence.zip; the zip carries `rtp-<n>.bin`; the report says "WebRTC" and shows the call
 * endpoint, not the ws:// URL; the arrival lane draws the RTP packets' arrival; and a run folder downloaded from the
 * store (events.jsonl.gz) keeps its RTP logs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport, type Report } from '../../src/analysis/report.js';
import { summarizeReport } from '../../src/analysis/summary.js';
import { readRunFolder } from '../../src/cli/runFolder.js';
import { correlationOf } from '../../src/report/correlation.js';
import { buildEvidenceZip } from '../../src/report/evidence.js';
import { renderRunHtml } from '../../src/report/runHtml.js';
import { supportSummary } from '../../src/report/supportSummary.js';
import { summarize } from '../../src/runner/summarize.js';
import { nextAlertState } from '../../src/sinks/alerts/alertState.js';
import { notificationFacts } from '../../src/sinks/alerts/notificationText.js';
import { teamsCard } from '../../src/sinks/alerts/teamsCard.js';
import { EVENTS_GZ, EVENTS_JSONL } from '../../src/store/layout.js';
import { readRtpLog } from '../../src/trace/rtpLog.js';
import { writeTrace } from '../../src/trace/traceFile.js';
import type { Trace } from '../../src/trace/trace.js';
import { cardTexts } from '../helpers/adaptiveCards.js';
import { probeWebRtc, startWebRtcSim } from '../webrtc/helpers.js';
import { syntheticRun } from './fixtures.js';

let trace: Trace;
let report: Report;
let html: string;
let callId: string;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rc-webrtc-evidence-'));
  const sim = await startWebRtcSim();
  trace = await probeWebRtc(sim, 'azure-ga', 't1-stall').finally(() => sim.close());
  report = buildReport(trace, analyzeTrace(trace));
  html = renderRunHtml(report, trace);
  const call = trace.entries.find((e) => e.kind === 'webrtc-call');
  callId = call?.kind === 'webrtc-call' ? call.callId : '';
}, 60_000);
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The `<dd>` of a fact list entry labelled `label` in `section`. */
const factOf = (section: string, label: string): string | undefined =>
  new RegExp(`<dt>${label}</dt><dd[^>]*>([^<]*)</dd>`).exec(section)?.[1];
const sectionOf = (id: string): string => {
  const from = html.indexOf(`data-testid="${id}"`);
  return html.slice(from, html.indexOf('</section>', from) + 10 || html.indexOf('</header>', from));
};

it('is a WebRTC call the service named, with RTP logged, failing on the injected stall', () => {
  expect(callId).toMatch(/^rtc_[A-Za-z0-9]+$/);
  expect(report.correlation.callId).toBe(callId);
  expect(readRtpLog(trace.rtp!.get(1)!).length).toBeGreaterThan(50);
  expect(report.verdict).toBe('fail');
  expect(report.problem?.category ?? 'incident').toBe('incident');
});

describe('the call id everywhere support and on-call look', () => {
  it('"Ids for support" lists the WebRTC call id, and the CLI\'s headline names it', () => {
    expect(factOf(sectionOf('correlation'), 'WebRTC call id')).toBe(callId);
    expect(summarizeReport(report).split('\n')[0]).toContain(`  WebRTC call ${callId}`);
  });

  it('the support case summary names the call id and the transport with its endpoint', () => {
    const text = supportSummary(report, correlationOf(report, trace));
    expect(text).toContain(`\nWebRTC call id: ${callId}\n`);
    expect(text).toMatch(
      /\nTransport: WebRTC \(call endpoint http:\/\/127\.0\.0\.1:\d+\/openai\/v1\/realtime\/calls\?scenario=t1-stall\)\n/,
    );
    expect(text).toContain('rtp-<n>.bin');
    // the page's copy is the same text
    expect(html).toContain(`WebRTC call id: ${callId}`);
  });

  it("the alert card's facts carry the call id (RunSummary.callId, from report.json)", () => {
    const summary = summarize(report, {
      region: 'swedencentral',
      paths: { reportJson: 'runs/x/report.json', reportHtml: 'runs/x/report.html' },
    });
    expect(summary.callId).toBe(callId);
    const { notifications } = nextAlertState(
      undefined,
      summary,
      new Date(Date.parse(report.times.startedAt) + 60_000),
      {
        k: 1,
        n: 1,
        reminderHours: 6,
      },
    );
    const alert = notifications.find((n) => n.kind === 'alert')!;
    expect(notificationFacts(alert)).toContainEqual({ title: 'WebRTC call id', value: callId });
    expect(cardTexts(teamsCard(alert))).toContain(`WebRTC call id: ${callId}`);
  });

  it('evidence.zip: the call id in its support summary and report.json, and every rtp-<n>.bin byte for byte', async () => {
    const files = unzipSync(await buildEvidenceZip({ report, trace }));
    expect(Object.keys(files).filter((n) => n.startsWith('rtp-'))).toEqual(['rtp-1.bin']);
    expect(Buffer.from(files['rtp-1.bin']!).equals(trace.rtp!.get(1)!)).toBe(true);
    expect(readRtpLog(Buffer.from(files['rtp-1.bin']!)).length).toBe(readRtpLog(trace.rtp!.get(1)!).length);
    expect(strFromU8(files['support-summary.txt']!)).toContain(`WebRTC call id: ${callId}`);
    expect(JSON.parse(strFromU8(files['report.json']!)).correlation.callId).toBe(callId);
  });
});

describe('the report says WebRTC', () => {
  it('names the transport in the header and the ids, and shows the call endpoint, not a ws:// URL', () => {
    expect(factOf(sectionOf('header'), 'transport')).toBe('WebRTC');
    const ids = sectionOf('correlation');
    expect(factOf(ids, 'Transport')).toBe('WebRTC');
    expect(factOf(ids, 'Endpoint \\(WebRTC call\\)')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/openai\/v1\/realtime\/calls\?scenario=t1-stall$/,
    );
    expect(ids).not.toContain('ws://');
    expect(sectionOf('header')).not.toContain('ws://');
  });

  it('the arrival lane draws the RTP packets as they arrived, one point per packet', () => {
    const m = report.turns[0]!.metrics!;
    const lane = /<g data-testid="arrivals" data-count="(\d+)" data-unit="([^"]+)"><path class="arr" d="([^"]+)"/.exec(
      html,
    )!;
    expect(lane).not.toBeNull();
    const count = Number(lane[1]);
    expect(lane[2]).toBe('RTP packets');
    expect(count).toBe(m.audio.deltas);
    expect(count).toBeGreaterThan(50);
    expect(lane[3]!.match(/H/g)!.length).toBe(count);
    expect(html).toContain(`>${count} RTP</text>`);
    expect(html).not.toContain('>0 deltas<');
    expect(html).toContain(`in ${m.audio.deltas} RTP packets`);
    // the 1.5 s stall injected on the RTP stream shows as a step in arrival: a horizontal run ≥ 1.4 s (70 px)
    const xs = [...lane[3]!.matchAll(/H([\d.]+)/g)].map((x) => Number(x[1]));
    expect(Math.max(...xs.slice(1).map((x, i) => x - xs[i]!))).toBeGreaterThanOrEqual(70);
  });

  it('a WebSocket run still reads WebSocket, deltas and its ws:// endpoint', () => {
    const ws = syntheticRun({ turns: 1 });
    const page = renderRunHtml(ws.report, ws.trace);
    expect(page).toContain('<dt>transport</dt><dd>WebSocket</dd>');
    expect(page).toMatch(/data-unit="deltas"/);
    expect(page).not.toContain('WebRTC call id');
    expect(correlationOf(ws.report, ws.trace).endpoint).toBe(ws.report.target.endpoint);
  });
});

describe('a WebRTC run folder downloaded from the store', () => {
  it('events.jsonl.gz next to the WAVs and rtp-<n>.bin: the RTP log is read, and the analysis is the same', async () => {
    const dir = join(root, 'downloaded');
    await writeTrace(dir, trace);
    await writeFile(join(dir, EVENTS_GZ), gzipSync(await readFile(join(dir, EVENTS_JSONL))));
    await rm(join(dir, EVENTS_JSONL));
    const back = await readRunFolder(dir);
    expect(back.rtp?.get(1)?.equals(trace.rtp!.get(1)!)).toBe(true);
    const again = buildReport(back, analyzeTrace(back));
    expect([again.verdict, again.summary.findingCodes]).toEqual([report.verdict, report.summary.findingCodes]);
  });
});
