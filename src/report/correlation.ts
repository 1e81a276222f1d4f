/**
 * The ids and times support asks for, gathered from the report and the trace: session, WebRTC call, conversation,
 * response and item ids, the upgrade's headers each labelled by what it is (`apim-request-id`, `x-request-id`, `cf-ray`,
 * `x-ms-client-request-id`, …), the client event ids the probe sent, endpoint host, deployment, model, API
 * version, region, the transport (a WebRTC call's endpoint is the URL its SDP offer was posted to, not the WebSocket
 * URL) and the UTC time of every response's start and end. Pure data; {@link ./supportSummary.ts}, the
 * page and the evidence zip render it.
 */
import { objAt, strAt } from '../json.js';
import { declaredOf } from '../analysis/drift.js';
import type { Report } from '../analysis/report.js';
import { responseIdOf } from '../trace/ids.js';
import type { RecvEntry, SendEntry, Trace } from '../trace/trace.js';
import { EV } from '../realtime/events.js';
import { iso } from './format.js';

export interface TurnCorrelation {
  turn: number;
  verdict: string;
  responses: {
    id: string;
    createdAt: string | null;
    doneAt: string | null;
    status: string | null;
    statusDetails: string | null;
  }[];
  itemIds: string[];
  /** `event_id`s of the client events the probe sent in this turn (the service quotes them in `error.event_id`). */
  clientEventIds: string[];
  findings: string[];
}

/** One header of the upgrade, with what it is. */
export interface LabelledId {
  /** The header name, lower-cased. */
  header: string;
  /** What the value is, e.g. "APIM request id" or "Cloudflare ray id". */
  label: string;
  value: string;
  /** Whether support can look the request up by it (a request / trace id, not a version or a region). */
  lookup: boolean;
}

export interface Correlation {
  runId: string;
  target: string;
  flavour: string;
  dialect: string;
  endpointHost: string;
  /** What the probe connected to: the WebSocket URL, or a WebRTC call's `…/realtime/calls` URL (secrets removed). */
  endpoint: string;
  /** How the probe reached the service, as people write it. */
  transport: TransportName;
  deployment: string | null;
  /** The model named in `session.created`, if any. */
  model: string | null;
  /** `api-version` of the endpoint URL, if any. */
  apiVersion: string | null;
  region: string | null;
  sessionId: string | null;
  /** WebRTC: the call id `rtc_…` (report.json `correlation.callId`). */
  callId: string | null;
  conversationIds: string[];
  /** The upgrade's id-like headers, labelled. */
  ids: LabelledId[];
  startedAt: string;
  endedAt: string;
  turns: TurnCorrelation[];
  tool: string;
}

/** The transport's name in a report, a support summary and a card. */
export type TransportName = 'WebSocket' | 'WebRTC';

/** "WebRTC" or "WebSocket" (report.json `target.transport`, absent for the WebSocket). */
export function transportName(report: Report): TransportName {
  return report.target.transport === 'webrtc' ? 'WebRTC' : 'WebSocket';
}

/** What a header of the upgrade is, by name; unknown headers are called by their name. */
const KNOWN: Record<string, [label: string, lookup: boolean]> = {
  'apim-request-id': ['APIM request id', true],
  'x-request-id': ['Request id', true],
  'x-ms-request-id': ['Azure request id', true],
  'x-ms-client-request-id': ['Client request id, sent by the probe', true],
  'x-client-request-id': ['Client request id, sent by the probe', true],
  'cf-ray': ['Cloudflare ray id', true],
  'x-azure-ref': ['Azure Front Door reference', true],
  'x-ms-region': ['Serving region', false],
  'openai-version': ['OpenAI API version', false],
  'openai-processing-ms': ['OpenAI processing time (ms)', false],
  'openai-organization': ['OpenAI organization', false],
  'openai-project': ['OpenAI project', false],
  'x-envoy-upstream-service-time': ['Upstream service time (ms)', false],
  traceparent: ['W3C trace context, sent by the probe', true],
};

/** The label of an upgrade header, e.g. `apim-request-id` → "APIM request id". */
export function labelId(header: string, value: string): LabelledId {
  const h = header.toLowerCase();
  const known = KNOWN[h];
  if (known) return { header: h, label: known[0], value, lookup: known[1] };
  const lookup = /request-?id|correlation|trace/.test(h);
  return { header: h, label: lookup ? 'Request id' : 'Header', value, lookup };
}

/** Everything support asks for, from one run. */
export function correlationOf(report: Report, trace: Trace): Correlation {
  const at = (t: number | undefined): string | null => (t === undefined ? null : iso(trace.meta.startEpochMs + t));
  const recv = trace.entries.filter((e): e is RecvEntry => e.kind === 'recv');
  const sent = trace.entries.filter((e): e is SendEntry => e.kind === 'send');
  return {
    runId: report.runId,
    target: report.target.name,
    flavour: report.target.flavour,
    dialect: report.target.dialect,
    endpointHost: report.target.host,
    endpoint: callEndpoint(report, trace) ?? report.target.endpoint,
    transport: transportName(report),
    deployment: report.target.deployment,
    model: declaredOf(trace)?.model ?? null,
    apiVersion: queryParam(report.target.endpoint, 'api-version'),
    region: report.target.region,
    sessionId: report.correlation.sessionId,
    callId: report.correlation.callId ?? null,
    conversationIds: report.correlation.conversationIds,
    ids: Object.entries(report.correlation.requestIds).map(([k, v]) => labelId(k, v)),
    startedAt: report.times.startedAt,
    endedAt: report.times.endedAt,
    tool: `${report.tool.name} ${report.tool.version}`,
    turns: report.turns.map((t) => ({
      turn: t.turn,
      verdict: t.verdict,
      itemIds: t.itemIds,
      clientEventIds: sent
        .filter((e) => e.turn === t.turn && e.type !== 'input_audio_buffer.append')
        .flatMap((e) => strAt(e.event, 'event_id') ?? []),
      findings: t.findings.map((f) => `${f.code} (${f.severity}): ${f.message}`),
      responses: t.responseIds.map((id) => {
        const mine = recv.filter((e) => e.turn === t.turn && responseIdOf(e) === id);
        const done = mine.find((e) => e.type === EV.responseDone);
        const response = done && objAt(done.event, 'response');
        const details = objAt(response, 'status_details');
        return {
          id,
          createdAt: at(mine.find((e) => e.type === EV.responseCreated)?.t),
          doneAt: at(done?.t),
          status: strAt(response, 'status') ?? null,
          statusDetails: details ? JSON.stringify(details) : null,
        };
      }),
    })),
  };
}

/** WebRTC: the URL the SDP offer was posted to (the `call` exchange, recorded with its secrets removed). */
function callEndpoint(report: Report, trace: Trace): string | undefined {
  if (report.target.transport !== 'webrtc') return undefined;
  const call = trace.entries.find((e) => e.kind === 'http-exchange' && e.stage === 'call');
  return call?.kind === 'http-exchange' ? call.url : undefined;
}

function queryParam(url: string, name: string): string | null {
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}
