import { describe, expect, it } from 'vitest';
import { renderRunHtml } from '../../src/report/runHtml.js';
import { peakEnvelope } from '../../src/report/envelope.js';
import { PX_PER_MS, ORIGIN_X } from '../../src/report/timelineSvg.js';
import { transcriptParts } from '../../src/report/turnText.js';
import { FINDING_CODES, FINDING_WORDS } from '../../src/analysis/findings.js';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { oneTurn } from '../analysis/helpers.js';
import { phasedSession } from '../analysis/reasoningTrace.js';
import { speech, TraceBuilder } from '../analysis/traceBuilder.js';
import { HOSTILE, syntheticRun } from './fixtures.js';

describe('renderRunHtml', () => {
  const run = syntheticRun({ truncateTurn2AtMs: 12_000 });
  const html = renderRunHtml(run.report, run.trace);

  it('is a self-contained page under 1 MB for 3 turns (WAVs excluded)', () => {
    expect(run.report.turns).toHaveLength(3);
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
    expect(html).toMatch(/^<!doctype html>/);
    // nothing external: no src/href to another origin, no stylesheet or script links
    expect(html).not.toMatch(/<(link|iframe|img|object|embed)\b/i);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
  });

  it('is deterministic', () => {
    expect(renderRunHtml(run.report, run.trace)).toBe(html);
  });

  it('places the silent gap of turn 1 at its audio position on the documented scale', () => {
    const gap = run.report.turns[0]!.metrics!.silence.gaps[0]!;
    expect(gap.atMs).toBeGreaterThanOrEqual(3900);
    expect(gap.atMs).toBeLessThanOrEqual(4100);
    const rect = html.match(
      /data-testid="gap-rect" data-gap-at-ms="([\d.]+)" data-gap-ms="([\d.]+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/,
    );
    expect(rect).not.toBeNull();
    expect(Number(rect![1])).toBe(gap.atMs);
    expect(Number(rect![3])).toBeCloseTo(ORIGIN_X + gap.atMs * PX_PER_MS, 1);
    expect(Number(rect![4])).toBeCloseTo(gap.durationMs * PX_PER_MS, 1);
  });

  it('marks the transcript said after the audio stopped when the audio was cut short', () => {
    const turn2 = run.report.turns[1]!;
    expect(turn2.findings.map((f) => f.code)).toContain('audio_truncated');
    const parts = transcriptParts(turn2);
    expect(parts.cutShort).toBe(true);
    expect(parts.heard.length).toBeGreaterThan(10);
    expect(parts.afterAudio).toMatch(/Twenty\.$/);
    expect(html).toContain('data-testid="transcript-after-audio"');
    expect(html).toContain('data-testid="missing-audio"');
    // healthy turns are not marked
    expect(transcriptParts(run.report.turns[2]!).afterAudio).toBe('');
  });

  it('explains every finding code', () => {
    for (const code of FINDING_CODES) expect(FINDING_WORDS[code].explanation.length).toBeGreaterThan(40);
  });

  it('lists the ids support asks for in the correlation block and the case summary', () => {
    const summary = html.match(/<textarea data-testid="support-summary"[^>]*>([\s\S]*?)<\/textarea>/)![1]!;
    for (const id of [
      'sess_SYNTH',
      'APIM request id (apim-request-id) apim-123',
      'Request id (x-request-id) req-456',
      'resp_1',
      'resp_2',
      'resp_3',
      'example.openai.azure.com',
      'gpt-realtime',
      'swedencentral',
    ]) {
      expect(summary).toContain(id);
    }
    expect(summary).toMatch(/Time window \(UTC\): 2026-01-01T00:00:00\.000Z – 2026-01-01T/);
  });

  it('shows a row for every trace entry, audio deltas with offset and bytes', () => {
    const rows = html.match(/<tr data-type="/g) ?? [];
    expect(rows.length).toBe(run.trace.entries.length);
    expect(html).toMatch(/<tr data-type="response\.output_audio\.delta">.*offset 9600 · 9600 B/);
  });

  it('escapes service-controlled text everywhere', () => {
    const hostile = syntheticRun({
      transcript: `Hello ${HOSTILE} world`,
      headers: { 'x-request-id': HOSTILE },
      targetName: `t${HOSTILE}`,
    });
    const page = renderRunHtml(hostile.report, hostile.trace);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('</textarea></script>');
    // only the page's own script element
    expect(page.match(/<script\b/g)).toHaveLength(1);
    expect(page).toContain('Hello &lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });
});

describe('peakEnvelope', () => {
  it('takes the largest absolute sample per bucket', () => {
    const pcm = Buffer.alloc(48 * 80); // 80 ms, two 40 ms buckets
    pcm.writeInt16LE(-1200, 100);
    pcm.writeInt16LE(300, 48 * 40 + 10);
    expect([...peakEnvelope(pcm, 40)]).toEqual([1200, 300]);
    expect([...peakEnvelope(Buffer.alloc(0), 40)]).toEqual([]);
  });
});

describe('renderRunHtml on broken runs', () => {
  const render = (b: TraceBuilder): string => {
    const trace = b.build();
    return renderRunHtml(buildReport(trace, analyzeTrace(trace)), trace);
  };

  it('renders a rejected connection (no turn ran) with the upgrade response', () => {
    const b = new TraceBuilder().connect({
      status: 401,
      body: `{"error":"${HOSTILE}"}`,
      headers: { 'apim-request-id': 'apim-401' },
    });
    b.close(50, 1006, '', 'server').sessionEnd(51, 'rejected');
    const html = render(b);
    expect(html).toContain('data-verdict="error"');
    expect(html).toContain('This turn did not run.');
    expect(html).toContain('apim-401');
    expect(html).toContain('HTTP 401');
    expect(html).not.toContain('<img');
  });

  it('flags missing terminal events on the timeline', () => {
    const { b } = oneTurn({ pcm: speech(3000), transcript: 'One. Two.', omitAudioDone: true, omitResponseDone: true });
    b.add(10_000, { kind: 'timeout', scope: 'turn', waitingFor: 'response.done', afterMs: 9000 }, 1).endTurn(
      10_001,
      'timeout',
    );
    const html = render(b);
    expect(html).toMatch(/data-testid="audio-done" class="mark missing-mark" data-missing="true"/);
    expect(html).toMatch(/data-testid="response-done" class="mark missing-mark" data-missing="true"/);
    expect(html).toContain('✕ no response.done');
  });

  it('renders a text-only answer without players or waveform', () => {
    const { b } = oneTurn({ pcm: speech(3000), transcript: 'One. Two.', modality: 'text' }, { modality: 'text' });
    const html = render(b);
    expect(html).not.toContain('<audio data-testid="audio-turn"');
    expect(html).toContain('no audio received');
    expect(html).toContain('(output text)');
  });

  it("draws a flooded trace's first and last events only, and says where the rest are", () => {
    const b = new TraceBuilder().connect().startTurn(10, 1);
    for (let i = 0; i < 20_000; i++)
      b.recv(20 + i * 0.01, 'response.output_audio_transcript.delta', { response_id: 'resp_1', delta: `w${i} ` });
    b.add(300, { kind: 'limit-exceeded', limit: 'maxEvents', value: 20_001, max: 20_000 }).sessionEnd(
      301,
      'limit-exceeded',
    );
    const trace = b.build(1);
    const page = renderRunHtml(buildReport(trace, analyzeTrace(trace)), trace);
    const rows = page.match(/<tr data-type=/g)?.length ?? 0;
    expect(page).toMatch(/data-testid="events-omitted"[^]*?… 15\d{3} events not drawn here/);
    expect(page).toContain('w0 ');
    expect(page).toContain('limit-exceeded'); // the end of the session is drawn
    expect(Buffer.byteLength(page)).toBeLessThan(5_000_000);
    expect(rows).toBe(5000);
  });

  it('renders a reasoning turn: the preamble, a long reasoning pause and a silent second generation', () => {
    const b = phasedSession({
      items: [
        { phase: 'commentary', pcm: speech(1500), transcript: 'Let me check.' },
        { phase: 'final_answer', pcm: speech(3000), transcript: 'Twenty.', pauseMs: 11_000 },
        { phase: 'final_answer', pcm: speech(2000), transcript: 'Anything else?', newResponse: true, noAudio: true },
      ],
    });
    const html = render(b);
    expect(html).toContain(FINDING_WORDS.long_reasoning.title);
    expect(html).toContain(FINDING_WORDS.second_generation_silent.title);
    expect(html).toContain('Let me check.');
  });
});
