/**
 * Drift fingerprints in the store: `fingerprint/<region>/<target>.json` ({@link ./layout.ts}), changed only
 * through `updateJson` (ETag conditions). The comparison itself is pure, in ../analysis/drift.ts; the round
 * passes it in as `step`, so the store knows the blob and not what is in it.
 */
import type { ArtifactStore } from './artifactStore.js';
import { fingerprintPath } from './layout.js';

/**
 * Applies `step` to the stored fingerprint of (region, target) and stores the state it returns; returns the
 * step of that last (stored) application (`updateJson` may call it again after a conflict).
 */
export async function updateFingerprint<S, R extends { state: S }>(
  store: ArtifactStore,
  region: string,
  target: string,
  step: (current: S | undefined) => R,
): Promise<R> {
  let last: R | undefined;
  await store.updateJson<S>(fingerprintPath(region, target), (cur) => {
    last = step(cur);
    return last.state;
  });
  return last!;
}
