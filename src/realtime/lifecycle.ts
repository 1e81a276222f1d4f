/**
 * Model lifecycle: the shipped, dated table of when the realtime models of each service retire, and the one lookup
 * of a model string in it. Pure data and pure functions (no clock: the caller says which day it is), so analysis,
 * the settings' override (`CANARY_MODEL_RETIREMENTS`, ../config/modelRetirements.ts) and the live lookup
 * (../runner/modelLookup.ts) all read the same rows. Facts and sources: shared/reference/field-2026-12.md §1.1.
 */
import type { Service } from './flavours.js';

/** One retirement: a model (every version, or one `version`) of one service stops being served on `retiresOn`. */
export interface ModelRetirement {
  service: Service;
  /** The model name without its version, lower case: `gpt-realtime-mini`. */
  model: string;
  /** One version (`YYYY-MM-DD`, as Azure names them and OpenAI snapshots end); absent: every version. */
  version?: string;
  /** The first UTC day the model is no longer served (`YYYY-MM-DD`). */
  retiresOn: string;
  /** What the source says to move to, where it names one. */
  replacement?: string;
  /** Where the date comes from. */
  source: string;
  /** The UTC day the row was last checked against its source (`YYYY-MM-DD`). */
  checkedOn: string;
  /** What a reader should know about the row (contradictions in the source, a label that changed). */
  note?: string;
}

/** The day every shipped row was last checked against its source. */
export const RETIREMENTS_CHECKED_ON = '2026-12-07';

const AZURE_SCHEDULE = 'Microsoft Learn, “Model retirement schedule” (Azure OpenAI in Foundry), ms.date 2026-09-02';
const AZURE_2X =
  'Microsoft Learn, “GPT Realtime 2.x” (2026-09-21): the current models are gpt-realtime-2.1 and 2.1-mini';
const OPENAI_2027 =
  'https://docs.retellai.com/deprecation-notice/2027/01-19_model_replacements ; ' +
  'https://dev.to/max_bob/openai-api-deprecations-2026-2027-every-shutdown-date-and-recommended-replacement-gpt-4o-2ffm ' +
  '(checked against /v1/models on 2026-10-27)';
const OPENAI_PREVIEW = 'https://www.modelcostwatch.com/openai/deprecations/gpt-4o-preview-audio-realtime-models';
const TWO_ROWS =
  "Microsoft's own table lists this version twice with different dates; the earlier one is used, because a notice " +
  'that comes early costs one info card and one that comes late costs an outage.';

const azure = (
  row: Omit<ModelRetirement, 'service' | 'source' | 'checkedOn'>,
  source = AZURE_SCHEDULE,
): ModelRetirement => ({
  service: 'azure',
  ...row,
  source,
  checkedOn: RETIREMENTS_CHECKED_ON,
});
const openai = (row: Omit<ModelRetirement, 'service' | 'checkedOn'>): ModelRetirement => ({
  service: 'openai',
  ...row,
  checkedOn: RETIREMENTS_CHECKED_ON,
});

/** The shipped table: the realtime models of both services with a published retirement date. */
export const MODEL_RETIREMENTS: readonly ModelRetirement[] = Object.freeze([
  azure({ model: 'gpt-realtime', version: '2025-08-28', retiresOn: '2027-03-02' }),
  azure({ model: 'gpt-realtime-1.5', version: '2026-02-23', retiresOn: '2027-08-24' }),
  azure({
    model: 'gpt-realtime-2',
    version: '2026-05-06',
    retiresOn: '2026-08-31',
    replacement: 'gpt-realtime-2.1',
    note:
      'A Preview model. A copy of the schedule from 2026-07-07 listed it as GA retiring 2027-05-06; the label and ' +
      `the date changed by 2026-09-02. Replacement: ${AZURE_2X}.`,
  }),
  ...(['gpt-realtime-2.1', 'gpt-realtime-2.1-mini'] as const).map((model) =>
    azure({
      model,
      version: '2026-07-07',
      retiresOn: '2027-06-25',
      note: 'Listed as Preview in the retirement schedule, while the “GPT Realtime 2.x” page (2026-09-21) calls it generally available.',
    }),
  ),
  azure({
    model: 'gpt-realtime-mini',
    version: '2025-12-15',
    retiresOn: '2026-12-15',
    note: `Also listed as 2027-06-15. ${TWO_ROWS}`,
  }),
  azure({
    model: 'gpt-realtime-mini',
    version: '2025-10-06',
    retiresOn: '2026-09-21',
    note: `Also listed as 2027-04-06. ${TWO_ROWS}`,
  }),
  openai({
    model: 'gpt-realtime',
    retiresOn: '2027-01-20',
    replacement: 'gpt-realtime-2.1',
    source: OPENAI_2027,
    note: 'The exact list of models OpenAI shuts down on 2027-01-20 is not confirmed by a primary source; the replacement is the one Retell migrates to.',
  }),
  openai({
    model: 'gpt-realtime-mini',
    retiresOn: '2027-01-20',
    replacement: 'gpt-realtime-2.1-mini',
    source: OPENAI_2027,
    note: 'The exact list of models OpenAI shuts down on 2027-01-20 is not confirmed by a primary source; the replacement is the one Retell migrates to.',
  }),
  openai({
    model: 'gpt-realtime-mini',
    version: '2025-10-06',
    retiresOn: '2026-07-23',
    replacement: 'gpt-realtime-mini',
    source:
      'OpenAI deprecations page, change of 2026-04-22: https://spybara.com/openai/api/history/docs/en/2026-04-22-0555..2026-04-23-0556/',
  }),
  openai({
    model: 'gpt-4o-realtime-preview',
    retiresOn: '2026-05-07',
    replacement: 'gpt-realtime',
    source: OPENAI_PREVIEW,
  }),
  openai({
    model: 'gpt-4o-mini-realtime-preview',
    retiresOn: '2026-05-07',
    replacement: 'gpt-realtime-mini',
    source: OPENAI_PREVIEW,
  }),
]);

/** A model string split into its name and its trailing `-YYYY-MM-DD` version (lower case). */
export function splitModelVersion(model: string): { model: string; version: string | undefined } {
  const m = /^(.+)-(\d{4}-\d{2}-\d{2})$/.exec(model.trim().toLowerCase());
  return m ? { model: m[1]!, version: m[2] } : { model: model.trim().toLowerCase(), version: undefined };
}

/** What {@link findRetirement} found: the row, and whether the model string left its version open. */
export interface RetirementMatch {
  row: ModelRetirement;
  /** The string named no version and the table knows several: the row is the one due next after `onDay`. */
  versionUnknown: boolean;
}

/**
 * The retirement of `model` (as `session.created` or a URL names it, e.g. `gpt-realtime-mini-2025-12-15`) on
 * `service`: the row of its exact version, else the row for every version, else — when the string names no
 * version — the version due next on or after `onDay` (`YYYY-MM-DD`), or the last one already past. Later rows win
 * over earlier rows for the same key (an override, a live date, comes after the shipped row).
 */
export function findRetirement(
  table: readonly ModelRetirement[],
  service: Service,
  model: string,
  onDay: string,
): RetirementMatch | undefined {
  const wanted = splitModelVersion(model);
  const rows = table.filter((r) => r.service === service && r.model === wanted.model);
  const last = (xs: readonly ModelRetirement[]): ModelRetirement | undefined => xs[xs.length - 1];
  const exact = wanted.version ? last(rows.filter((r) => r.version === wanted.version)) : undefined;
  const every = last(rows.filter((r) => r.version === undefined));
  if (exact ?? every) return { row: (exact ?? every)!, versionUnknown: false };
  if (wanted.version || rows.length === 0) return undefined;
  const byDate = [...rows].sort((a, b) => a.retiresOn.localeCompare(b.retiresOn));
  const next = byDate.find((r) => r.retiresOn >= onDay) ?? byDate[byDate.length - 1]!;
  return { row: next, versionUnknown: new Set(rows.map((r) => r.version)).size > 1 };
}

/** The key one row is overridden by: service, model and version. */
export function retirementKey(r: Pick<ModelRetirement, 'service' | 'model' | 'version'>): string {
  return `${r.service}/${r.model}/${r.version ?? '*'}`;
}

/** A change to a table: a row to add or replace, or (`retiresOn: null`) a row to remove. */
export type RetirementChange = Omit<ModelRetirement, 'retiresOn'> & { retiresOn: string | null };

/** `base` with `changes` applied in order: same key replaces (null removes), a new key is added. Pure. */
export function withRetirementChanges(
  base: readonly ModelRetirement[],
  changes: readonly RetirementChange[],
): ModelRetirement[] {
  const rows = new Map(base.map((r) => [retirementKey(r), r]));
  for (const c of changes) {
    rows.delete(retirementKey(c));
    if (c.retiresOn !== null) rows.set(retirementKey(c), { ...c, retiresOn: c.retiresOn });
  }
  return [...rows.values()];
}
