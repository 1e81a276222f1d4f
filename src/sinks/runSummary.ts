/** Kept so importers of the old path keep compiling: the run summary now lives in the neutral ../runSummary.ts. */
export type { RunCategory, RunSummary, Verdict } from '../runSummary.js';
