/**
 * The ids and times support asks for, gathered from the report and the trace: session, conversation, response
 * and item ids, request ids of the upgrade, endpoint host, deployment, model, API version, region and the UTC
 * time of every response's start and end. Pure data; {@link ./supportSummary.ts} and the page render it.
 */
import type { Report } from '../analysis/report.js';
import type { RecvEntry, Trace } from '../probe/trace.js';
import { EV } from '../realtime/events.js';
import { iso } from './format.js';

export interface TurnCorrelation {
  turn: number;
  verdict: string;
  responses: { id: string; createdAt: string | null; doneAt: string | null; status: string | null; statusDetails: string | null }[];
  itemIds: string[];
  findings: string[];
}

export interface Correlation {
  runId: string;
  target: string;
  flavour: string;
  dialect: string;
  endpointHost: string;
  endpoint: string;
  deployment: string | null;
  /** The model named in `session.created`, if any. */
  model: string | null;
  /** `api-version` of the endpoint URL, if any. */
  apiVersion: string | null;
  region: string | null;
  sessionId: string | null;
  conversationIds: string[];
  requestIds: [header: string, value: string][];
  startedAt: string;
  endedAt: string;
  turns: TurnCorrelation[];
  tool: string;
}

/** Everything support asks for, from one run. */
export function correlationOf(report: Report, trace: Trace): Correlation {
  const at = (t: number | undefined): string | null => (t === undefined ? null : iso(trace.meta.startEpochMs + t));
  const recv = trace.entries.filter((e): e is RecvEntry => e.kind === 'recv');
  const created = recv.find((e) => e.type === EV.sessionCreated);
  const model = created && isRecord(created.event.session) && typeof created.event.session.model === 'string' ? created.event.session.model : null;
  return {
    runId: report.runId,
    target: report.target.name,
    flavour: report.target.flavour,
    dialect: report.target.dialect,
    endpointHost: report.target.host,
    endpoint: report.target.endpoint,
    deployment: report.target.deployment,
    model,
    apiVersion: queryParam(report.target.endpoint, 'api-version'),
    region: report.target.region,
    sessionId: report.correlation.sessionId,
    conversationIds: report.correlation.conversationIds,
    requestIds: Object.entries(report.correlation.requestIds),
    startedAt: report.times.startedAt,
    endedAt: report.times.endedAt,
    tool: `${report.tool.name} ${report.tool.version}`,
    turns: report.turns.map((t) => ({
      turn: t.turn,
      verdict: t.verdict,
      itemIds: t.itemIds,
      findings: t.findings.map((f) => `${f.code} (${f.severity}): ${f.message}`),
      responses: t.responseIds.map((id) => {
        const mine = recv.filter((e) => e.turn === t.turn && responseIdOf(e) === id);
        const done = mine.find((e) => e.type === EV.responseDone);
        const response = done && isRecord(done.event.response) ? done.event.response : undefined;
        return {
          id,
          createdAt: at(mine.find((e) => e.type === EV.responseCreated)?.t),
          doneAt: at(done?.t),
          status: typeof response?.status === 'string' ? response.status : null,
          statusDetails: response?.status_details ? JSON.stringify(response.status_details) : null,
        };
      }),
    })),
  };
}

function responseIdOf(e: RecvEntry): string | undefined {
  const r = e.event.response;
  if (isRecord(r) && typeof r.id === 'string') return r.id;
  if (typeof e.event.response_id === 'string') return e.event.response_id;
  return e.audio?.responseId;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function queryParam(url: string, name: string): string | null {
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}
