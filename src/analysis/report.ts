/**
 * `report.json`: the analysis of one run as a documented, versioned document (schema/report.schema.json,
 * docs/report-schema.md). Pure: built from the trace and its analysis, no clock — the same inputs give the same
 * bytes.
 */
import { itemIdOf, responseIdOf } from '../trace/ids.js';
import type { Trace, TransportKind, UpgradeRequestEntry, UpgradeResponseEntry } from '../trace/trace.js';
import type { Dialect, Flavour } from '../realtime/flavours.js';
import type { OutputModality, TurnDetection } from '../realtime/events.js';
import { EV } from '../realtime/events.js';
import type { DetectionConfig } from './config.js';
import { strAt } from '../json.js';
import { ms1 } from './fields.js';
import type { Finding, Verdict } from './findings.js';
import type { ModelLifecycle } from './lifecycle.js';
import type { ConnectionMetrics, RunAnalysis, TurnMetrics, TurnStatus } from './metrics.js';
import { reportSummary, type ReportSummary } from './reportSummary.js';
import { sanitizeTrace } from './sanitize.js';
import { runProblem, type RunProblem } from './category.js';
import { runCost, type RunCost } from '../cost/runCost.js';
import { DEFAULT_PRICES, type PriceTable } from '../cost/prices.js';

/** Bumped on any incompatible change of the report's shape. */
export const REPORT_SCHEMA_VERSION = 1;

export interface ReportTarget {
  name: string;
  flavour: Flavour;
  dialect: Dialect;
  /** WebSocket URL, secrets removed. */
  endpoint: string;
  host: string;
  deployment: string | null;
  /** Where the canary ran (e.g. an Azure region), if known. */
  region: string | null;
  /** How the probe reached the service; absent for the WebSocket (the default). */
  transport?: TransportKind;
  /** The flavour table's deprecation notice (Azure preview), as the trace recorded it; absent for GA flavours. */
  notice?: string;
}

export interface ReportCorrelation {
  /** `sess_…` from `session.created`: what support asks for. */
  sessionId: string | null;
  /** WebRTC: the call id `rtc_…` from the call's `Location` header; support asks for it too. */
  callId?: string;
  conversationIds: string[];
  responseIds: string[];
  itemIds: string[];
  /** Request-id-like headers of the upgrade (apim-request-id, x-request-id, x-ms-*, openai-*, …), names lower-cased. */
  requestIds: Record<string, string>;
}

export interface ReportTurn {
  turn: number;
  promptId: string | null;
  promptText: string | null;
  expect: string[];
  outcome: TurnStatus;
  verdict: Verdict;
  responseIds: string[];
  itemIds: string[];
  metrics: TurnMetrics | null;
  findings: Finding[];
}

/** A comparison of this target with its group's baseline, filled in by the scheduler. */
export interface ReportComparison {
  group: string;
  baseline: string;
  message: string;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  runId: string;
  tool: { name: string; version: string };
  target: ReportTarget;
  times: { startedAt: string; endedAt: string; durationMs: number };
  options: { turns: number; turnDetection: TurnDetection; modality: OutputModality; turnTimeoutMs: number };
  correlation: ReportCorrelation;
  connection: ConnectionMetrics;
  verdict: Verdict;
  /**
   * What kind of problem a run that did not pass is (configuration, capacity or incident), what to do and the setting
   * to fix; absent for a pass (and in reports written before 2026-12). Every surface reads this one classification.
   */
  problem?: RunProblem;
  /** Run-level findings; turn findings are under `turns[]`. */
  findings: Finding[];
  summary: ReportSummary;
  turns: ReportTurn[];
  detection: { config: DetectionConfig };
  comparison?: ReportComparison[];
  /** Names of the run's files (e.g. `events` → `events.jsonl`), relative to the report. */
  artifacts?: Record<string, string>;
  /** What the run cost, from its `usage` and the price table (or why it has no price). */
  cost?: RunCost;
  /** Set when a failing probe was re-probed before it counted (CANARY_CONFIRM_RETRIES); this report is the first attempt's. */
  confirmation?: ReportConfirmation;
  /** The run's model in the retirement table (its retirement day and source); absent when the table does not know it. */
  lifecycle?: ModelLifecycle;
}

/** The attempts of a confirmed (or not) failure: `intermittent` when a confirmation passed, `confirmed` when all failed. */
export interface ReportConfirmation {
  outcome: 'intermittent' | 'confirmed';
  /** The verdict of the first attempt, whose evidence this report shows (the run's verdict is the confirmation's). */
  firstVerdict: Verdict;
  attempts: ConfirmationAttempt[];
}

export interface ConfirmationAttempt {
  attempt: number;
  sessionId: string | null;
  startedAt: string;
  verdict: Verdict;
  findingCodes: string[];
  headline: string | null;
  costUsd: number | null;
  /** The attempt's report.json, relative to this report (absent for the first attempt: this report). */
  report?: string;
}

export interface ReportExtras {
  /** Prices for the cost block (default: the shipped table). */
  prices?: PriceTable;
  comparison?: ReportComparison[];
  artifacts?: Record<string, string>;
}

/** The report of one run. */
export function buildReport(input: Trace, analysis: RunAnalysis, extras: ReportExtras = {}): Report {
  const trace = sanitizeTrace(input);
  const { meta } = trace;
  const durationMs = ms1(trace.entries.reduce((m, e) => Math.max(m, e.t), 0));
  const end = new Date(meta.startEpochMs + durationMs);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: meta.runId,
    tool: { name: meta.tool.name, version: meta.tool.version },
    target: {
      name: meta.target.name,
      flavour: meta.target.flavour,
      dialect: meta.target.dialect,
      endpoint: meta.target.url,
      host: meta.target.host,
      deployment: meta.target.deployment ?? null,
      region: meta.target.region ?? null,
      ...(meta.target.transport === 'webrtc' ? { transport: meta.target.transport } : {}),
      ...(typeof meta.target.notice === 'string' && meta.target.notice ? { notice: meta.target.notice } : {}),
    },
    times: {
      startedAt: meta.startedAt,
      endedAt: Number.isFinite(end.getTime()) ? end.toISOString() : meta.startedAt,
      durationMs,
    },
    options: {
      turns: meta.options.turns,
      turnDetection: meta.options.turnDetection,
      modality: meta.options.modality,
      turnTimeoutMs: meta.options.turnTimeoutMs,
    },
    correlation: correlation(trace, analysis),
    connection: analysis.connection,
    verdict: analysis.verdict,
    ...problemField(trace, analysis),
    findings: analysis.findings,
    summary: reportSummary(analysis),
    turns: analysis.turns.map((t) => {
      const prompt = meta.prompts.find((p) => p.turn === t.turn);
      return {
        turn: t.turn,
        promptId: t.promptId,
        promptText: prompt?.text ?? null,
        expect: prompt ? [...prompt.expect] : [],
        outcome: t.outcome,
        verdict: t.verdict,
        responseIds: t.responseIds,
        itemIds: t.itemIds,
        metrics: t.metrics,
        findings: t.findings,
      };
    }),
    detection: { config: { ...analysis.config } },
    cost: runCost(trace, extras.prices ?? DEFAULT_PRICES),
  };
  if (extras.comparison) report.comparison = extras.comparison;
  if (extras.artifacts) report.artifacts = { ...extras.artifacts };
  if (analysis.lifecycle) report.lifecycle = { ...analysis.lifecycle };
  return report;
}

function problemField(trace: Trace, analysis: RunAnalysis): { problem?: RunProblem } {
  const problem = runProblem(trace, analysis);
  return problem ? { problem } : {};
}

const REQUEST_ID_HEADER =
  /request-?id|correlation|trace|^apim-|^x-ms-|^openai-|^x-azure-ref|^x-envoy-upstream-service-time$|^cf-ray$/i;
const CLIENT_REQUEST_ID_HEADER = /client-request-id|^x-request-id$|correlation|traceparent/i;

function correlation(trace: Trace, analysis: RunAnalysis): ReportCorrelation {
  const requestIds: Record<string, string> = {};
  const request = trace.entries.find((e): e is UpgradeRequestEntry => e.kind === 'upgrade-request');
  for (const [k, v] of Object.entries(request?.headers ?? {}))
    if (CLIENT_REQUEST_ID_HEADER.test(k)) requestIds[k.toLowerCase()] = String(v);
  const response = trace.entries.find((e): e is UpgradeResponseEntry => e.kind === 'upgrade-response');
  for (const [k, v] of Object.entries(response?.headers ?? {}))
    if (REQUEST_ID_HEADER.test(k)) requestIds[k.toLowerCase()] = String(v);
  // WebRTC: the ids of the call request (the SDP offer), and the call id the service gave it
  const call = trace.entries.find((e) => e.kind === 'http-exchange' && e.stage === 'call');
  if (call?.kind === 'http-exchange')
    for (const [k, v] of Object.entries(call.headers))
      if (REQUEST_ID_HEADER.test(k)) requestIds[k.toLowerCase()] = String(v);
  const callId = trace.entries.find((e) => e.kind === 'webrtc-call');

  let sessionId: string | null = null;
  const conversations = new Set<string>();
  const responses = new Set<string>(analysis.turns.flatMap((t) => t.responseIds));
  const items = new Set<string>(analysis.turns.flatMap((t) => t.itemIds));
  for (const e of trace.entries) {
    if (e.kind !== 'recv') continue;
    const ev = e.event;
    if (e.type === EV.sessionCreated) sessionId ??= strAt(ev, 'session', 'id') ?? null;
    const conv = strAt(ev, 'response', 'conversation_id') ?? strAt(ev, 'conversation', 'id');
    if (conv) conversations.add(conv);
    const resp = responseIdOf(e);
    if (resp) responses.add(resp);
    const item = itemIdOf(e);
    if (item) items.add(item);
  }
  return {
    sessionId,
    conversationIds: [...conversations],
    responseIds: [...responses],
    itemIds: [...items],
    requestIds,
    ...(callId?.kind === 'webrtc-call' ? { callId: callId.callId } : {}),
  };
}
