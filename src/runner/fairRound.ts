/**
 * A round's intake (issues 21 §4, 22 §1), kept out of ./round.ts: which due targets it probes and in what order
 * (./roundSelection.ts), the session budgets each first probe claims (./quotaGate.ts), and the index lines of the
 * targets it does not probe — "not probed: round full" for those beyond its capacity or cut by its deadline,
 * "not probed: quota" for those a budget refused — published through the sinks' `onNotProbed` (a dashboard cell
 * each; the digest card counts them: ../sinks/alerts/digest.ts) beside the probes, never in front of them, a few at
 * a time so thousands of lines do not take the round's time one by one; the round awaits {@link Intake.written}
 * before its end. The log gets one line for the round-full targets, not one per target.
 */
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { promptLengths } from '../cost/projection.js';
import type { LineLog } from '../log.js';
import type { PromptSpec } from '../prompts/catalog.js';
import type { NotProbedKind, RunSummary } from '../runSummary.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { notProbedSummary } from './budget.js';
import type { PoolResult } from './pool.js';
import { QuotaLedger } from './quota.js';
import { quotaGate, QuotaRefusedError, type QuotaGate } from './quotaGate.js';
import { expectedSessionMs } from './roundFit.js';
import { readRotation, selectRound, type RoundSelection } from './roundSelection.js';
import { NotSentError } from './targetRun.js';

/** Not-probed lines published at once. */
const LINE_CONCURRENCY = 8;

export interface IntakeInput {
  settings: CanarySettings;
  targets: readonly TargetConfig[];
  store: ArtifactStore;
  catalog: readonly PromptSpec[];
  runId: string;
  started: Date;
  now: () => Date;
  probeEndAt: number;
  log: LineLog;
  /** Publishes one not-probed index line (through the round's publisher). */
  publishLine: (line: RunSummary) => Promise<unknown>;
  /** Replaces the gate over the settings' budgets (tests, a caller sharing one ledger). */
  quota?: QuotaGate;
}

export interface Intake {
  selection: RoundSelection;
  gate: QuotaGate;
  /** Publishes index lines of targets not probed (in the background; {@link written} waits for them). */
  publishLines(lines: readonly RunSummary[]): Promise<void>;
  /** Resolves once every line given to {@link publishLines} is written (or failed, which the sinks log). */
  written(): Promise<void>;
  /** The index line of a target not probed. */
  line(t: TargetConfig, reason: string, kind: NotProbedKind): RunSummary;
  /** After the probes: lines for the targets the deadline cut, the rotation point stored; the not-probed list. */
  finish(
    probe: readonly TargetConfig[],
    results: readonly PoolResult<unknown>[],
  ): Promise<{ target: string; reason: string }[]>;
}

/** `rotation`: the rotation point's read ({@link readRotation}), started when the round started. */
export async function roundIntake(o: IntakeInput, rotation: ReturnType<typeof readRotation>): Promise<Intake> {
  const lengths = promptLengths(o.catalog);
  const selection = await selectRound({
    targets: o.targets,
    settings: o.settings,
    store: o.store,
    runId: o.runId,
    startedAt: o.started,
    probeWindowMs: o.probeEndAt - Date.now(),
    sessionMs: (t) => expectedSessionMs(t, o.settings, lengths),
    log: o.log,
    rotation,
  });
  const gate =
    o.quota ??
    quotaGate({
      ledger: new QuotaLedger({
        store: o.store,
        targets: o.targets,
        quota: o.settings.quota,
        warn: (m) => o.log.warn(m),
      }),
      now: o.now,
      latestStartAt: () => o.probeEndAt - o.settings.turnTimeoutMs,
    });
  const line = (t: TargetConfig, reason: string, kind: NotProbedKind): RunSummary =>
    notProbedSummary(o.started, o.runId, o.settings.region, t, reason, kind);
  const pending: Promise<unknown>[] = [];
  const publishLines = (lines: readonly RunSummary[]): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < lines.length) await o.publishLine(lines[next++]!).catch(() => undefined);
    };
    const all = Promise.all(Array.from({ length: Math.min(LINE_CONCURRENCY, lines.length) }, worker)).then(() => {});
    pending.push(all);
    return all;
  };
  const { due, full, probe } = selection;
  const fullReason = `not probed: round full (${due.length} targets due, the round fits about ${probe.length}; they are probed in rotation)`;
  void publishLines(full.map((t) => line(t, fullReason, 'round full')));
  if (full.length)
    o.log.warn(
      `round full: ${full.length} of ${due.length} due target(s) not probed this round (${full
        .slice(0, 5)
        .map((t) => t.name)
        .join(', ')}${full.length > 5 ? ', …' : ''}); they come first in the next rounds`,
    );
  if (due.length < o.targets.length)
    o.log.info(`${o.targets.length - due.length} target(s) not due this round (their "every" is longer)`);
  return {
    selection,
    gate,
    publishLines,
    written: async () => {
      for (let i = 0; i < pending.length; i++) await pending[i];
    },
    line,
    async finish(planned, results) {
      const cut = new Set<string>(full.map((t) => t.name));
      const out = full.map((t) => ({ target: t.name, reason: fullReason }));
      const late: RunSummary[] = [];
      results.forEach((r, i) => {
        const t = planned[i]!;
        if (r.status === 'done') return;
        if (r.status === 'failed' && r.error instanceof QuotaRefusedError) {
          out.push({ target: t.name, reason: r.error.message });
          return;
        }
        const reason =
          r.status === 'not-started'
            ? 'round deadline reached before it started'
            : r.error instanceof Error
              ? r.error.message
              : String(r.error);
        out.push({ target: t.name, reason });
        if (r.status === 'not-started' || r.error instanceof NotSentError) {
          cut.add(t.name);
          late.push(line(t, `not probed: round full (${reason})`, 'round full'));
        }
      });
      void publishLines(late);
      await selection.commit(cut);
      return out;
    },
  };
}
