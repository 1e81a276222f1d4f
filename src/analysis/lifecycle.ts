/**
 * Model lifecycle, judged per run: the model this run talked to (`session.created`, else the model or deployment the
 * URL names) looked up in the retirement table on the run's own day (the trace's start time: no clock). A model that
 * retires within {@link RETIRING_WITHIN_DAYS} days, or is past its date and still answered, gets an info
 * `model_retiring` finding; a session refused with `model_not_found` / `invalid_model` (on Azure also a 404) on or
 * after the model's retirement date is worded as a retirement ("retired on <date>"), not as a refusal of unknown
 * cause. Pure.
 */
import { findRetirement, MODEL_RETIREMENTS, type ModelRetirement } from '../realtime/lifecycle.js';
import { isFlavour, modelOf, serviceOf, type Service } from '../realtime/flavours.js';
import { strAt } from '../json.js';
import type { HttpExchangeEntry, Trace, UpgradeResponseEntry } from '../trace/trace.js';
import { declaredOf } from './drift.js';
import { sortFindings, type Finding } from './findings.js';
import { clip, maskKeys, quote } from './format.js';
import type { RunAnalysis } from './metrics.js';
import { problemOf, type ProblemPlace, type RunProblem } from './problems.js';
import { refusalAfterUpgrade, serviceName } from './refusal.js';

/** A model retiring within this many days of the run gets `model_retiring`. */
export const RETIRING_WITHIN_DAYS = 30;

/** Refusal codes that mean "no such model" — after a retirement date, the retirement. */
const GONE_CODES: ReadonlySet<string> = new Set(['model_not_found', 'invalid_model']);

const DAY_MS = 86_400_000;

/** `<model> retires on <day>`, or `was due to retire on` once the run's day (an ISO time or day) has reached it. */
export function retirementPhrase(model: string, retiresOn: string, runAt: string): string {
  return `${model} ${retiresOn > runAt.slice(0, 10) ? 'retires on' : 'was due to retire on'} ${retiresOn}`;
}

/** The run's model in the retirement table (report.json `lifecycle`). */
export interface ModelLifecycle {
  service: Service;
  /** The model as named by `session.created`, else by the URL. */
  model: string;
  from: 'session.created' | 'url';
  retiresOn: string;
  /** Whole days from the run's UTC day to the retirement day (0 or less: the day has come). */
  daysLeft: number;
  replacement: string | null;
  source: string;
  /** The day the table's row was last checked against its source. */
  checkedOn: string;
  note: string | null;
  /** The model string named no version and the table knows several: the date is the next version's. */
  versionUnknown: boolean;
}

/** The run's model and its retirement, if the table has it and the trace has a valid start time. */
export function modelLifecycle(trace: Trace, table: readonly ModelRetirement[]): ModelLifecycle | undefined {
  const { flavour, deployment, url } = trace.meta.target;
  const start = Date.parse(trace.meta.startedAt);
  if (!isFlavour(flavour) || Number.isNaN(start)) return undefined;
  const declared = declaredOf(trace)?.model ?? undefined;
  const model = declared ?? deployment ?? modelOf(url) ?? undefined;
  if (!model) return undefined;
  const day = new Date(start).toISOString().slice(0, 10);
  const service = serviceOf(flavour);
  const match = findRetirement(table, service, model, day);
  if (!match) return undefined;
  const { row } = match;
  return {
    service,
    model,
    from: declared ? 'session.created' : 'url',
    retiresOn: row.retiresOn,
    daysLeft: Math.round((Date.parse(`${row.retiresOn}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / DAY_MS),
    replacement: row.replacement ?? null,
    source: row.source,
    checkedOn: row.checkedOn,
    note: row.note ?? null,
    versionUnknown: match.versionUnknown,
  };
}

/**
 * The analysis with the model's lifecycle: `lifecycle` set when the table knows the model, a `model_retiring`
 * finding inside the window, and a refusal of a retired model worded as such. The verdict does not change.
 */
export function withModelLifecycle(
  trace: Trace,
  analysis: RunAnalysis,
  table: readonly ModelRetirement[] = MODEL_RETIREMENTS,
): RunAnalysis {
  const life = modelLifecycle(trace, table);
  if (!life) return analysis;
  const retired = retiredRefusal(trace, life);
  const findings = analysis.findings.map((f) =>
    retired && f.code === 'connection_rejected' ? { ...f, message: retired } : f,
  );
  // only a model the service declared is retiring "for this run": a refused session proves nothing about the model
  if (!retired && life.from === 'session.created' && life.daysLeft <= RETIRING_WITHIN_DAYS)
    findings.push(retiringFinding(life));
  return { ...analysis, findings: sortFindings(findings), lifecycle: life };
}

function retiringFinding(life: ModelLifecycle): Finding {
  const days = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;
  const late = life.daysLeft < 0 ? `, ${days(-life.daysLeft)} before this run,` : '';
  const when =
    life.daysLeft > 0
      ? `retires on ${life.retiresOn}, in ${days(life.daysLeft)}`
      : `was due to retire on ${life.retiresOn}${late} and still answered`;
  const version = life.versionUnknown ? ' (its version is not named: the date of the version due next)' : '';
  const by = life.daysLeft > 0 ? ' before then' : '';
  return {
    code: 'model_retiring',
    severity: 'info',
    turn: null,
    message:
      `Model “${life.model}”${version} ${when}: ${moveTo(life)}${by}. ` +
      `Source: ${life.source} (checked ${life.checkedOn}).`,
  };
}

function moveTo(life: ModelLifecycle): string {
  return `move the deployment to ${life.replacement ?? 'a current model'}`;
}

/** The refusal of a model whose retirement day has come, or undefined when that is not what happened. */
function goneRefusal(trace: Trace, life: ModelLifecycle): { code: string; text: string | undefined } | undefined {
  if (life.daysLeft > 0) return undefined;
  const refused = refusalOf(trace);
  // Azure answers a deployment of a retired model version with 404 (the one report found; unconfirmed on realtime)
  const gone = refused && (GONE_CODES.has(refused.code) || (life.service === 'azure' && refused.status === 404));
  return gone ? refused : undefined;
}

/** The words of a refusal of a model whose retirement day has come, or undefined when that is not what happened. */
function retiredRefusal(trace: Trace, life: ModelLifecycle): string | undefined {
  const refused = goneRefusal(trace, life);
  if (!refused) return undefined;
  const said = refused.text ? ` (${quote(clip(maskKeys(refused.text), 160))})` : '';
  const who = serviceName(trace.meta.target.flavour);
  return (
    `Model “${life.model}” was retired on ${life.retiresOn} (${life.source}): ${who} answered ${refused.code}${said}. ` +
    `Nothing will bring it back: ${moveTo(life)} and update the target. A configuration change, not an outage.`
  );
}

/** The run's problem when its session was refused because its model retired (`model-retired`), else undefined. */
export function retiredProblem(trace: Trace, analysis: RunAnalysis, place: ProblemPlace): RunProblem | undefined {
  const life = analysis.lifecycle;
  if (!life || !goneRefusal(trace, life)) return undefined;
  return problemOf('model-retired', place, {
    what: `model “${life.model}” was retired on ${life.retiresOn} (${place.host} no longer serves it)`,
    ...(life.replacement ? { advice: `Its source names ${life.replacement} as the replacement.` } : {}),
  });
}

/**
 * The service's refusal: the `error` after a 101, else a refused upgrade or WebRTC request (its status, and the
 * code and message of its JSON body when it has one; the code is `HTTP <status>` otherwise).
 */
function refusalOf(trace: Trace): { code: string; text: string | undefined; status?: number } | undefined {
  const err = refusalAfterUpgrade(trace)?.error;
  if (err) {
    const code = strAt(err.event, 'error', 'code');
    return code ? { code, text: strAt(err.event, 'error', 'message') } : undefined;
  }
  const http = trace.entries.find(
    (e): e is UpgradeResponseEntry | HttpExchangeEntry =>
      (e.kind === 'upgrade-response' || e.kind === 'http-exchange') && e.status >= 400,
  );
  if (!http) return undefined;
  let body: unknown;
  try {
    body = http.body ? JSON.parse(http.body) : undefined;
  } catch {
    body = undefined;
  }
  const code = strAt(body, 'error', 'code');
  return {
    code: code && !/^\d+$/.test(code) ? code : `HTTP ${http.status}`,
    text: strAt(body, 'error', 'message'),
    status: http.status,
  };
}
