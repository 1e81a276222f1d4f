/**
 * Whether a run is a configuration problem of the canary (it could not authenticate, or is misconfigured) or a
 * capacity problem (rate limited, no capacity) rather than a service incident, and what to do — in words, from
 * report.json's `problem` (the one classification, see ../analysis/category.ts). Such a report says so in its header
 * and carries no support case summary: there is nothing to send to support. Pure, from the report.
 */
import { SETTING_WORDS, type RunCategory } from '../analysis/problems.js';
import type { Report } from '../analysis/report.js';

export interface ReportProblem {
  category: Exclude<RunCategory, 'incident'>;
  /** One sentence: what happened. */
  what: string;
  /** What to do, for the operator, with the setting to fix it in. */
  fix: string;
}

/** The configuration or capacity problem of a run, or undefined when the run is not one (passed, or an incident). */
export function reportProblem(report: Report): ReportProblem | undefined {
  const p = report.problem;
  if (report.verdict === 'pass' || !p || p.category === 'incident') return undefined;
  const setting = p.settingValue ?? (p.setting ? `the target's ${SETTING_WORDS[p.setting]}` : undefined);
  const fix = [p.advice, setting ? `Setting to fix: ${setting}.` : ''].filter(Boolean).join(' ');
  return { category: p.category, what: sentence(p.what), fix };
}

/** "The canary could not …." from the clause "the canary could not …". */
function sentence(clause: string): string {
  const s = clause.charAt(0).toUpperCase() + clause.slice(1);
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}
