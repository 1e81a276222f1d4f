/**
 * `npm start -- --history 7d`: a week of synthetic rounds in the demo's store, so the dashboard looks like
 * production — every 20 minutes, each demo target in three regions (the demo's own among them, so its real rounds
 * continue the week), with the failures its name promises (the
 * silent-gap target has gaps, the wrong key never authenticates, …) and one regional incident (francecentral,
 * two days ago, three hours of truncated audio on the Azure targets). Lines go into the daily index files of the
 * store layout (src/store/layout.ts), before the real demo rounds' lines, with a heartbeat for each synthetic region
 * (every 20 minutes, so the dashboard does not call them stale). Deterministic (a seeded generator), and
 * marked: every synthetic run id starts with `hist-` and links to one page that says it has no report.
 */
import { shown } from '../config/shown.js';
import { isAzure } from '../realtime/flavours.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { contentTypeFor, dailyIndexPath, DEMO_HISTORY_PAGE, heartbeatPath } from '../store/layout.js';
import type { Heartbeat } from '../sinks/alerts/watchdog.js';
import type { FindingCode, Verdict } from '../analysis/findings.js';
import type { RunSummary } from '../runSummary.js';
import { seconds } from '../report/format.js';
import { htmlPage } from '../report/page.js';
import { UsageError } from './args.js';

export const HISTORY_REGIONS = ['swedencentral', 'francecentral', 'eastus2'];
const STEP_MS = 20 * 60_000;
const DAY_MS = 86_400_000;

export interface HistoryTarget {
  name: string;
  flavour: string;
  group?: string;
  baseline?: boolean;
}

/** `7d`, `3d`, `12h` → ms; a clear error otherwise (at most 7 days: the dashboard's window). */
export function parseHistory(raw: string): number {
  const m = /^(\d+)\s*(d|h)$/.exec(raw.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'd' ? DAY_MS : 3_600_000) : NaN;
  if (!(ms > 0) || ms > 7 * DAY_MS)
    throw new UsageError('--history', `expects a span like 7d or 12h, at most 7d; got ${shown(raw)}`);
  return ms;
}

/** A small seeded generator (mulberry32), so the same `now` gives the same week. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outcome {
  verdict: Verdict;
  codes: FindingCode[];
  headline?: string;
  gapMs: number;
  failingTurns: number;
  category?: 'configuration';
}

/** What a synthetic run of `target` in `region` at `at` looked like. */
function outcome(target: HistoryTarget, region: string, at: number, now: number, r: () => number): Outcome {
  const ok: Outcome = { verdict: 'pass', codes: [], gapMs: 0, failingTurns: 0 };
  const n = target.name;
  if (/wrong-key/.test(n))
    return {
      verdict: 'error',
      codes: ['connection_rejected'],
      headline: 'The WebSocket upgrade was rejected with HTTP 401 Unauthorized.',
      gapMs: 0,
      failingTurns: 0,
      category: 'configuration',
    };
  const incident =
    region === 'francecentral' &&
    isAzure(target.flavour) &&
    at > now - 2 * DAY_MS &&
    at < now - 2 * DAY_MS + 3 * 3_600_000;
  if (incident && r() < 0.8)
    return {
      verdict: 'fail',
      codes: ['audio_truncated'],
      headline: 'Turn 1: the last 0.9 s of audio never arrived; usage and transcript are complete.',
      gapMs: 0,
      failingTurns: 1 + Math.floor(r() * 2),
    };
  const p = /silent-gap/.test(n)
    ? 0.3
    : /stall/.test(n)
      ? 0.2
      : /truncated/.test(n)
        ? 0.25
        : /no-response-done/.test(n)
          ? 0.15
          : /drop/.test(n)
            ? 0.4
            : 0.01;
  if (r() >= p) return ok;
  if (/silent-gap/.test(n)) {
    const gapMs = Math.round(1200 + r() * 2000);
    return {
      verdict: 'fail',
      codes: ['silent_gap'],
      headline: `Turn 1: ${seconds(gapMs)} of silence at 4.0 s into the answer.`,
      gapMs,
      failingTurns: 1,
    };
  }
  if (/stall/.test(n))
    return {
      verdict: 'fail',
      codes: ['delivery_stall', 'playback_underrun'],
      headline: 'Turn 2: no audio for 3.1 s while the response was open.',
      gapMs: 0,
      failingTurns: 1,
    };
  if (/drop/.test(n))
    return {
      verdict: 'fail',
      codes: ['connection_dropped'],
      headline: 'The connection closed (1006, no close frame) during turn 1.',
      gapMs: 0,
      failingTurns: 2,
    };
  if (/no-response-done/.test(n))
    return {
      verdict: 'fail',
      codes: ['missing_response_done'],
      headline: 'Turn 2: response.done never arrived.',
      gapMs: 0,
      failingTurns: 1,
    };
  return {
    verdict: 'fail',
    codes: ['audio_truncated'],
    headline: 'Turn 1: the audio stops 1.2 s before the transcript does.',
    gapMs: 0,
    failingTurns: 1,
  };
}

/** The synthetic summaries of `spanMs` before `now`, oldest first. */
export function historySummaries(
  targets: readonly HistoryTarget[],
  now: Date,
  spanMs: number,
  regions = HISTORY_REGIONS,
): RunSummary[] {
  const r = rng(Math.floor(now.getTime() / STEP_MS));
  const out: RunSummary[] = [];
  const end = now.getTime() - STEP_MS;
  for (let at = Math.ceil((now.getTime() - spanMs) / STEP_MS) * STEP_MS; at <= end; at += STEP_MS) {
    const startedAt = new Date(at).toISOString();
    const runId = `hist-${startedAt.replace(/[-:]/g, '').slice(0, 13)}Z`;
    for (const region of regions) {
      for (const t of targets) {
        const o = outcome(t, region, at, now.getTime(), r);
        out.push({
          runId,
          startedAt,
          durationMs: Math.round(14_000 + r() * 6000),
          region,
          target: t.name,
          flavour: t.flavour,
          host: `${region}.example.invalid`,
          deployment: 'gpt-realtime',
          group: t.group,
          baseline: t.baseline ?? false,
          verdict: o.verdict,
          ...(o.category ? { category: o.category } : {}),
          findingCodes: o.codes,
          headline: o.headline,
          turns: 2,
          failingTurns: o.failingTurns,
          longestGapMs: o.gapMs,
          coverage: o.verdict === 'error' ? undefined : o.codes.includes('audio_truncated') ? 0.9 : 1,
          timeToFirstAudioMs:
            o.verdict === 'error'
              ? undefined
              : Math.round((isAzure(t.flavour) ? 520 : 430) + r() * 260 + (region === 'eastus2' ? 60 : 0)),
          sessionId: undefined,
          requestIds: {},
          comparison: undefined,
          reportPath: DEMO_HISTORY_PAGE,
          reportHtmlPath: DEMO_HISTORY_PAGE,
        });
      }
    }
  }
  return out;
}

/** Writes the history into the store's daily index files (before lines already there) and the placeholder page. */
export async function writeDemoHistory(
  store: ArtifactStore,
  targets: readonly HistoryTarget[],
  now: Date,
  spanMs: number,
  regions = HISTORY_REGIONS,
): Promise<number> {
  const byDay = new Map<string, string[]>();
  const summaries = historySummaries(targets, now, spanMs, regions);
  for (const s of summaries) {
    const path = dailyIndexPath(s.startedAt);
    byDay.set(path, [...(byDay.get(path) ?? []), JSON.stringify(s)]);
  }
  for (const [path, lines] of byDay) {
    const existing = (await store.get(path))?.toString('utf8') ?? '';
    await store.put(path, `${lines.join('\n')}\n${existing}`, contentTypeFor(path));
  }
  // the synthetic regions run every 20 minutes: their heartbeats say so (a region with one of its own keeps it)
  const last = summaries.at(-1);
  for (const region of regions)
    if (last && !(await store.get(heartbeatPath(region)))) {
      const at = Date.parse(last.startedAt);
      const hb: Heartbeat = {
        version: 1,
        region,
        at: last.startedAt,
        roundId: last.runId,
        roundStartedAt: last.startedAt,
        schedule: '0 */20 * * * *',
        nextRunAt: new Date(at + STEP_MS).toISOString(),
        intervalMs: STEP_MS,
        silentAfter: new Date(at + 2 * STEP_MS).toISOString(),
        targets: targets.map((t) => t.name),
      };
      await store.put(heartbeatPath(region), JSON.stringify(hb), contentTypeFor(heartbeatPath(region)));
    }
  const body =
    '<h1>Synthetic history</h1><p>This run was made up by <code>npm start -- --history</code> so the dashboard ' +
    'looks like a week of production. It has no report; the real demo rounds (run ids starting with ' +
    '<code>run-</code>) do.</p><p><a href="../index.html">Back to the dashboard</a></p>';
  await store.put(
    DEMO_HISTORY_PAGE,
    htmlPage({ title: 'Synthetic history', css: '', body, script: '' }),
    contentTypeFor(DEMO_HISTORY_PAGE),
  );
  return summaries.length;
}
