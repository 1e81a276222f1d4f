/**
 * The round's drift step: each run is compared with its target's stored fingerprint (info findings
 * `model_changed` / `behaviour_changed`, once per change, added to its report by the pure {@link withDrift}), and
 * within a group the same-round comparison says when a target and its baseline declare different models (added
 * by ./groups.ts when the group is complete). Failures to read or write a fingerprint only warn.
 */
import { declaredOf, nextFingerprint, type DriftStep, type FingerprintState } from '../analysis/drift.js';
import { findingCodes, sortFindings, type Finding } from '../analysis/findings.js';
import type { Report, ReportComparison } from '../analysis/report.js';
import type { Trace } from '../trace/trace.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { updateFingerprint } from '../store/fingerprintStore.js';
import { isAnalysisReport } from '../sinks/runSink.js';
import type { TargetRun } from './targetRun.js';

/** The drift findings of one run (its fingerprint updated in the store). */
export async function driftFindings(
  store: ArtifactStore,
  region: string,
  report: Report,
  trace: Trace,
  warn: (m: string) => void,
): Promise<Finding[]> {
  try {
    const step = (cur: FingerprintState | undefined): DriftStep => nextFingerprint(cur, report, trace);
    return (await updateFingerprint(store, region, report.target.name, step)).findings;
  } catch (err) {
    warn(`fingerprint of ${report.target.name} not updated: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}

/** A run with its drift findings in its report, and its declared model for the group's model comparison. */
export async function withRunDrift(
  run: TargetRun,
  store: ArtifactStore,
  region: string,
  warn: (m: string) => void,
): Promise<TargetRun> {
  const { report, trace } = run.artifacts;
  if (!trace || !isAnalysisReport(report)) return run;
  const model = declaredOf(trace)?.model;
  const drifted = withDrift(report, await driftFindings(store, region, report, trace, warn));
  const out: TargetRun = drifted === report ? { ...run } : { ...run, artifacts: { ...run.artifacts, report: drifted } };
  if (model) out.model = model;
  return out;
}

export interface ModelMember {
  name: string;
  group: string;
  baseline: boolean;
  model?: string;
}

/** Same-round comparisons of group members whose declared model differs from their baseline's. */
export function modelComparisons(members: readonly ModelMember[]): Map<string, ReportComparison> {
  const out = new Map<string, ReportComparison>();
  for (const base of members.filter((m) => m.baseline)) {
    for (const r of members.filter((x) => x.group === base.group && x !== base)) {
      if (!r.model || !base.model || r.model === base.model) continue;
      out.set(r.name, {
        group: base.group,
        baseline: base.name,
        message:
          `${r.name} runs model “${r.model}”, baseline ${base.name} runs “${base.model}” in the same round: ` +
          `differences may be the model's, not the hosting layer's.`,
      });
    }
  }
  return out;
}

/** The report with the drift findings (run-level, info) added, its finding codes following them. Pure. */
export function withDrift(report: Report, drift: readonly Finding[]): Report {
  if (!drift.length) return report;
  const findings = sortFindings([...report.findings, ...drift]);
  const all = [...findings, ...report.turns.flatMap((t) => t.findings)];
  return { ...report, findings, summary: { ...report.summary, findingCodes: findingCodes(all) } };
}
