/**
 * The round's drift step: each run is compared with its target's stored fingerprint (info findings
 * `model_changed` / `behaviour_changed`, once per change), and within a group the same-round comparison says when
 * a target and its baseline declare different models. Failures to read or write a fingerprint only warn.
 */
import { declaredOf } from '../analysis/drift.js';
import { findingCodes, sortFindings, type Finding } from '../analysis/findings.js';
import type { Report, ReportComparison } from '../analysis/report.js';
import type { Trace } from '../probe/trace.js';
import type { ArtifactStore } from '../sinks/artifactStore.js';
import { updateFingerprint } from '../sinks/fingerprintStore.js';

export interface DriftRun {
  name: string;
  group?: string;
  baseline?: boolean;
  trace: Trace;
  report: Report;
}

export interface DriftOutcome {
  findings: Finding[];
  comparison?: ReportComparison;
}

export async function assessDrift(store: ArtifactStore, region: string, runs: readonly DriftRun[], warn: (m: string) => void): Promise<Map<string, DriftOutcome>> {
  const out = new Map<string, DriftOutcome>();
  for (const r of runs) {
    try {
      out.set(r.name, { findings: (await updateFingerprint(store, region, r.report, r.trace)).findings });
    } catch (err) {
      warn(`fingerprint of ${r.name} not updated: ${err instanceof Error ? err.message : String(err)}`);
      out.set(r.name, { findings: [] });
    }
  }
  for (const base of runs.filter((r) => r.baseline && r.group)) {
    const baseModel = declaredOf(base.trace)?.model;
    for (const r of runs.filter((x) => x.group === base.group && x !== base)) {
      const model = declaredOf(r.trace)?.model;
      if (!model || !baseModel || model === baseModel) continue;
      out.get(r.name)!.comparison = { group: base.group!, baseline: base.name, message: `${r.name} runs model “${model}”, baseline ${base.name} runs “${baseModel}” in the same round: differences may be the model's, not the hosting layer's.` };
    }
  }
  return out;
}

/** The report with the drift findings (run-level, info) and the model comparison added. */
export function withDrift(report: Report, d: DriftOutcome | undefined): Report {
  if (!d || (!d.findings.length && !d.comparison)) return report;
  const findings = sortFindings([...report.findings, ...d.findings]);
  const all = [...findings, ...report.turns.flatMap((t) => t.findings)];
  return {
    ...report,
    findings,
    summary: { ...report.summary, findingCodes: findingCodes(all) },
    ...(d.comparison ? { comparison: [...(report.comparison ?? []), d.comparison] } : {}),
  };
}
