/**
 * Which targets a single-process round probes (issue 22 §1, issue 21 §4). The round belongs to one window of its
 * schedule — from the tick it was started for to the next — and probes the targets due in it: a target whose
 * `every` is at most the round's interval every round (a round cannot probe more often than it runs), a longer one
 * in the window that holds its next jittered start (./plan.ts), so a `"30m"` target in a 10-minute schedule is
 * probed every third round, always the same one of the three. Inside the round, jitter does not delay a probe: due
 * targets start as the concurrency frees up, and the per-minute session budgets keep one deployment's starts apart
 * (./quotaGate.ts). When the due targets need more session time than the round has (./roundFit.ts), they are
 * probed in rotation: the round starts with the target the last full round could not probe — its name kept in
 * `plan/<region>/rotation.json` under its ETag — so none is starved. That blob is read only when the round is full,
 * under a short budget of its own; when it cannot be read, the rotation point follows from the window's number.
 */
import { nextRuns } from '../config/scheduleTimes.js';
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { withDeadline } from '../deadline.js';
import type { LineLog } from '../log.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { rotationPath } from '../store/layout.js';
import { dueProbes, everyMsOf } from './plan.js';
import { fillRound, roundCapacityMs } from './roundFit.js';

/** The part of the schedule a round covers: `[fromMs, toMs)`, `everyMs` long. */
export interface RoundWindow {
  fromMs: number;
  toMs: number;
  everyMs: number;
}

/**
 * The window of a round started at `at`: from the tick it was started for to the next one (a round started a
 * little early or late — up to a quarter of the interval, at most 30 s — belongs to the nearest tick).
 */
export function roundWindow(schedule: string, at: Date): RoundWindow {
  const [a, b] = nextRuns(schedule, at, 2);
  if (!a || !b) return { fromMs: at.getTime(), toMs: at.getTime() + 86_400_000, everyMs: 86_400_000 };
  const everyMs = b.getTime() - a.getTime();
  const tolerance = Math.min(30_000, everyMs / 4);
  const [next] = nextRuns(schedule, new Date(at.getTime() + tolerance), 1);
  const toMs = next!.getTime();
  return { fromMs: toMs - everyMs, toMs, everyMs };
}

/** The targets due in the window, in their configured order. */
export function dueInWindow(targets: readonly TargetConfig[], w: RoundWindow): TargetConfig[] {
  return targets.filter(
    (t) => everyMsOf(t, w.everyMs) <= w.everyMs || dueProbes([t], w.fromMs, w.toMs, w.everyMs).length > 0,
  );
}

/** `targets` starting with `first` (when it is one of them), the ones before it moved to the end. */
export function rotated<T extends { name: string }>(targets: readonly T[], first: string | undefined): T[] {
  const i = first === undefined ? -1 : targets.findIndex((t) => t.name === first);
  return i <= 0 ? [...targets] : [...targets.slice(i), ...targets.slice(0, i)];
}

/** The rotation blob: the target the next full round starts with. */
export interface RotationState {
  next: string;
  runId: string;
  at: string;
}

/** What the round probes, what it holds back as "round full", and how it remembers where to start next time. */
export interface RoundSelection {
  window: RoundWindow;
  due: TargetConfig[];
  /** Due targets the round plans to probe, in the order it starts them. */
  probe: TargetConfig[];
  /** Due targets beyond the round's capacity: "not probed: round full". */
  full: TargetConfig[];
  /** Stores the rotation point: the first of `probe` + `full` not probed (call when the probes are over). */
  commit(notProbed: ReadonlySet<string>): Promise<void>;
}

export interface SelectionInput {
  targets: readonly TargetConfig[];
  settings: Pick<CanarySettings, 'schedule' | 'region' | 'concurrency' | 'storageTimeoutMs'>;
  store: ArtifactStore;
  runId: string;
  startedAt: Date;
  probeWindowMs: number;
  sessionMs: (t: TargetConfig) => number;
  log: LineLog;
  /** The rotation blob's read, started when the round started (awaited only when the round is full). */
  rotation: Promise<RotationState | undefined>;
}

/** Budget of the rotation read and write: the round does not wait longer for its rotation point. */
export const ROTATION_BUDGET_MS = 2_000;

export async function selectRound(o: SelectionInput): Promise<RoundSelection> {
  const window = roundWindow(o.settings.schedule, o.startedAt);
  const due = dueInWindow(o.targets, window);
  const capacity = roundCapacityMs(o.settings.concurrency, o.probeWindowMs);
  // a full round waits (briefly) for its rotation point; one that fits uses it only if it is already known
  // (a round cut short by its deadline stored one)
  const inOrder = fillRound(due, o.sessionMs, capacity);
  const rotating = inOrder.full.length > 0;
  const state = rotating
    ? await withDeadline(
        'rotation point',
        Math.min(ROTATION_BUDGET_MS, o.settings.storageTimeoutMs),
        () => o.rotation,
      ).catch((err: unknown) => {
        o.log.warn(
          `rotation point unknown (${err instanceof Error ? err.message : String(err)}); starting by the window's number`,
        );
        return undefined;
      })
    : await Promise.race([o.rotation, Promise.resolve(undefined)]);
  const first = state?.next ?? (rotating ? fallbackFirst(due, window, inOrder.fit.length) : undefined);
  const order = rotated(due, first);
  const { fit, full } = fillRound(order, o.sessionMs, capacity);
  return {
    window,
    due,
    probe: fit,
    full,
    async commit(notProbed) {
      const next = [...fit, ...full].find((t) => notProbed.has(t.name))?.name;
      if (!next) return;
      const path = rotationPath(o.settings.region);
      const state: RotationState = { next, runId: o.runId, at: new Date().toISOString() };
      await withDeadline('rotation point', Math.min(ROTATION_BUDGET_MS, o.settings.storageTimeoutMs), () =>
        o.store.updateJson<RotationState>(path, () => state),
      ).catch((err: unknown) =>
        o.log.warn(
          `rotation point not stored (${err instanceof Error ? err.message : String(err)}); the next full round starts by its window's number`,
        ),
      );
    },
  };
}

/** Without a stored rotation point: the window's number × the targets a round fits, around the due list. */
function fallbackFirst(due: readonly TargetConfig[], w: RoundWindow, fits: number): string | undefined {
  if (!due.length) return undefined;
  const k = Math.floor(w.fromMs / w.everyMs);
  return due[(k * Math.max(1, fits)) % due.length]!.name;
}

/** Starts reading the rotation point (never rejects: an unreadable blob is no rotation point). */
export function readRotation(store: ArtifactStore, region: string): Promise<RotationState | undefined> {
  return store
    .readJson<RotationState>(rotationPath(region))
    .then((s) => (s && typeof s.next === 'string' ? s : undefined))
    .catch(() => undefined);
}
