/**
 * Drift fingerprints in the store: `fingerprint/<region>/<target>.json`, changed only through `updateJson` (ETag
 * conditions). The comparison itself is pure, in {@link ../analysis/drift.ts}.
 */
import { nextFingerprint, type DriftStep, type FingerprintState } from '../analysis/drift.js';
import type { Report } from '../analysis/report.js';
import type { Trace } from '../trace/trace.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { safeSegment } from '../store/layout.js';

export const fingerprintPath = (region: string, target: string): string => `fingerprint/${safeSegment(region)}/${safeSegment(target)}.json`;

/** Applies one run to its fingerprint and stores it; returns the findings of that (last, stored) application. */
export async function updateFingerprint(store: ArtifactStore, region: string, report: Report, trace: Trace): Promise<DriftStep> {
  let step: DriftStep | undefined;
  await store.updateJson<FingerprintState>(fingerprintPath(region, report.target.name), (cur) => {
    step = nextFingerprint(cur, report, trace);
    return step.state;
  });
  return step!;
}
