/**
 * One card per retiring model: a run whose report has `model_retiring` is noted after its analysis, and when the
 * round's runs are published (so the report the card links to exists) the notice is announced once per (target,
 * model, retirement day), whatever the number of runs and regions. What was announced lives in
 * `retirement/<target>.json`, claimed under its ETag before the card is posted and released again when the post
 * fails, so an overlapping round or another region never sends a second card and a lost one is sent next round.
 */
import type { Report } from '../analysis/report.js';
import type { Notification } from '../sinks/alerts/alertState.js';
import type { RunSummary } from '../runSummary.js';
import { isAnalysisReport } from '../sinks/runSink.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { retirementNoticePath } from '../store/layout.js';
import type { TargetRun } from './targetRun.js';

/** A claim not settled within this long was abandoned (its round died): it may be taken again. */
const CLAIM_LEASE_MS = 15 * 60_000;
/** Announcements kept per target (oldest dropped). */
const MAX_KEPT = 20;

/** `retirement/<target>.json`: the retirements announced for the target, by `<model>@<day>`. */
export interface RetirementNotices {
  version: 1;
  announced: Record<string, { runId: string; region: string; at: string; delivered: boolean }>;
}

export interface RetirementNoticeDeps {
  store: ArtifactStore;
  /** Posts one notification; true when delivered. */
  notify: (n: Notification) => Promise<boolean>;
  warn: (message: string) => void;
  now: () => Date;
}

export interface RetirementNoticeStep {
  /** Notes a run after its analysis (its report's `model_retiring` finding, if any). */
  note(run: TargetRun): void;
  /** Announces what the round noted, from the runs' final summaries. */
  announce(summaries: readonly RunSummary[]): Promise<void>;
}

export function retirementNotices(deps: RetirementNoticeDeps): RetirementNoticeStep {
  const noted = new Map<string, string>();
  return {
    note(run) {
      const message = retiringMessage(run.artifacts.report);
      if (message) noted.set(run.artifacts.target, message);
    },
    async announce(summaries) {
      await Promise.all(
        summaries.map((s) => {
          const message = noted.get(s.target);
          return message && s.retirement ? announceOne(deps, s, message) : undefined;
        }),
      );
    },
  };
}

function retiringMessage(report: TargetRun['artifacts']['report']): string | undefined {
  if (!isAnalysisReport(report)) return undefined;
  const f = report.findings.find((x) => x.code === 'model_retiring');
  return f && `${f.message}${noteOf(report)}`;
}

function noteOf(report: Report): string {
  return report.lifecycle?.note ? ` ${report.lifecycle.note}` : '';
}

async function announceOne(deps: RetirementNoticeDeps, s: RunSummary, message: string): Promise<void> {
  const r = s.retirement!;
  const key = `${r.model}@${r.retiresOn}`;
  const path = retirementNoticePath(s.target);
  const at = deps.now();
  try {
    let claimed = false;
    await deps.store.updateJson<RetirementNotices>(path, (cur) => {
      const state: RetirementNotices = { version: 1, announced: { ...cur?.announced } };
      const prior = state.announced[key];
      claimed = !prior || (!prior.delivered && at.getTime() - Date.parse(prior.at) >= CLAIM_LEASE_MS);
      if (claimed) state.announced[key] = { runId: s.runId, region: s.region, at: at.toISOString(), delivered: false };
      return claimed ? { ...state, announced: newest(state.announced) } : (cur ?? state);
    });
    if (!claimed) return;
    const delivered = await deps.notify(retirementNotification(s, message, at)).catch(() => false);
    await deps.store.updateJson<RetirementNotices>(path, (cur) => {
      const announced = { ...cur?.announced };
      if (delivered) announced[key] = { runId: s.runId, region: s.region, at: at.toISOString(), delivered: true };
      else if (announced[key]?.runId === s.runId && !announced[key]?.delivered) delete announced[key];
      return { version: 1, announced };
    });
    if (!delivered) deps.warn(`retirement notice for ${s.target} (${key}) not delivered; the next round tries again`);
  } catch (err) {
    deps.warn(
      `retirement notice for ${s.target} (${key}) not sent: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** The most recent {@link MAX_KEPT} announcements. */
function newest(announced: RetirementNotices['announced']): RetirementNotices['announced'] {
  const entries = Object.entries(announced).sort((a, b) => a[1].at.localeCompare(b[1].at));
  return Object.fromEntries(entries.slice(-MAX_KEPT));
}

/** The `lifecycle` notification of a run's retiring model: `message` is what its finding says. */
export function retirementNotification(s: RunSummary, message: string, at: Date): Notification {
  const r = s.retirement!;
  const createdAt = at.toISOString();
  return {
    id: `lifecycle:${s.target}:${r.model}@${r.retiresOn}`,
    kind: 'alert',
    category: 'lifecycle',
    createdAt,
    region: s.region,
    target: s.target,
    summary: s,
    opening: {
      openedAt: createdAt,
      runId: s.runId,
      runStartedAt: s.startedAt,
      headline: message,
      failureClass: 'model_retiring',
    },
    window: { failing: 0, of: 0 },
    sinceOpen: { runs: 0, failing: 0 },
  };
}
