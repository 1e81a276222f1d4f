/**
 * The full event table: every trace entry, in order, in a collapsible block with a filter by event type and a
 * text search (the page script does the filtering). Audio deltas and prompt appends show their byte offset and
 * length instead of a payload; every other event shows its JSON, one line until clicked. Everything is escaped.
 *
 * DOM hooks: `details[data-testid=event-table]`, `select[data-testid=event-filter]` (option values are the
 * types), `input[data-testid=event-search]`, rows `tr[data-type]`.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import { itemIdOf, responseIdOf } from '../trace/ids.js';
import type { Trace, TraceEntry } from '../trace/trace.js';
import { escapeAttr, escapeText } from './escape.js';
import { num, utc } from './format.js';

/** The filter key of an entry: the event type for sent and received events, the entry kind otherwise. */
export function entryType(e: TraceEntry): string {
  return e.kind === 'recv' || e.kind === 'send' ? e.type : e.kind;
}

/** Rows the page draws at most: the first {@link HEAD_ROWS} and the last ones (a flooded trace has 100 000). */
export const MAX_EVENT_ROWS = 5000;
const HEAD_ROWS = 4000;

/** The event table of a trace (bounded: past {@link MAX_EVENT_ROWS}, its middle is left to events.jsonl). */
export function eventTable(trace: Trace): string {
  const counts = new Map<string, number>();
  for (const e of trace.entries) counts.set(entryType(e), (counts.get(entryType(e)) ?? 0) + 1);
  const options = [...counts]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([type, n]) => `<option value="${escapeAttr(type)}">${escapeText(type)} (${n})</option>`)
    .join('');
  const all = trace.entries;
  const hidden = Math.max(0, all.length - MAX_EVENT_ROWS);
  const rows =
    hidden === 0
      ? all.map(row).join('\n')
      : [
          ...all.slice(0, HEAD_ROWS).map(row),
          `<tr data-testid="events-omitted"><td colspan="5" class="muted">… ${hidden} events not drawn here — ` +
            `every event is in events.jsonl (and evidence.zip)</td></tr>`,
          ...all.slice(all.length - (MAX_EVENT_ROWS - HEAD_ROWS)).map(row),
        ].join('\n');
  return (
    `<details data-testid="event-table" class="events"><summary>All ${trace.entries.length} events <span ` +
    `class="muted">(t = ms since ${escapeText(utc(trace.meta.startEpochMs))}; click a payload to expand it)</span></summary>
<div class="filters"><label>Type <select data-testid="event-filter"><option value="">all types</option>${options}</select></label>
<label>Contains <input type="search" data-testid="event-search" placeholder="id, text, code…">` +
    `</label> <span class="muted" data-testid="event-count"></span></div>
<table><thead><tr><th>t (ms)</th><th>turn</th><th></th><th>type</th><th>details</th></tr></thead><tbody>
${rows}
</tbody></table></details>`
  );
}

const DIRECTION: Record<TraceEntry['kind'], string> = {
  'upgrade-request': '↑',
  'upgrade-response': '↓',
  send: '↑',
  recv: '↓',
  'recv-invalid': '↓',
  timeout: '•',
  'socket-error': '•',
  close: '•',
  ping: '↕',
  pong: '↕',
  'probe-stall': '•',
  'loop-delay': '•',
  'limit-exceeded': '•',
  'http-exchange': '↕',
  'webrtc-call': '•',
  'webrtc-stage': '•',
  'turn-start': '•',
  'turn-clock': '•',
  'turn-end': '•',
  'session-end': '•',
};

function row(e: TraceEntry): string {
  const type = entryType(e);
  const wire = e.kind === 'recv' && e.wireType !== e.type ? ` title="on the wire: ${escapeAttr(e.wireType)}"` : '';
  return (
    `<tr data-type="${escapeAttr(type)}"><td class="num">${num(Number(e.t), 3)}</td>` +
    `<td class="num">${escapeText(e.turn || '')}</td><td>${DIRECTION[e.kind] ?? '•'}</td><td${wire}>${escapeText(type)}</td><td>${details(e)}</td></tr>`
  );
}

function details(e: TraceEntry): string {
  switch (e.kind) {
    case 'recv':
      if (e.audio) {
        const a = e.audio;
        return (
          `<span class="mono">offset ${escapeText(a.offset)} · ${escapeText(a.bytes)} B ` +
          `(${num(a.bytes / BYTES_PER_MS)} ms at ${num(a.offset / BYTES_PER_MS)} ms) ` +
          `· ${escapeText(responseIdOf(e) ?? '—')} / ${escapeText(itemIdOf(e) ?? '—')}</span>`
        );
      }
      return payload(e.event, `${e.size} B`);
    case 'send':
      if (e.audioRef)
        return (
          `<span class="mono">prompt offset ${escapeText(e.audioRef.offset)} ` +
          `· ${escapeText(e.audioRef.bytes)} B (${num(e.audioRef.bytes / BYTES_PER_MS)} ms)</span>`
        );
      return payload(e.event, e.byProbe ? `sent by the probe: ${e.byProbe}` : '');
    case 'upgrade-request':
      return payload({ url: e.url, headers: e.headers }, '');
    case 'upgrade-response':
      return payload(
        {
          status: e.status,
          statusText: e.statusText,
          headers: e.headers,
          ...(e.body === undefined ? {} : { body: e.body }),
        },
        `HTTP ${e.status}`,
      );
    case 'recv-invalid':
      return payload({ problem: e.problem, size: e.size, preview: e.preview }, e.problem);
    case 'timeout':
      return `waiting for ${escapeText(e.waitingFor)} (${escapeText(e.scope)}), gave up after ${num(e.afterMs)} ms`;
    case 'socket-error':
      return `${escapeText(e.errorClass)}${e.code ? ` ${escapeText(e.code)}` : ''}: ${escapeText(e.message)}`;
    case 'close':
      return `code ${escapeText(e.code)}${e.reason ? ` “${escapeText(e.reason)}”` : ''}, started by the ${escapeText(e.initiatedBy)}`;
    case 'turn-start':
      return `prompt ${escapeText(e.promptId)}`;
    case 'turn-clock':
      return `the turn's clock starts (${escapeText(e.cause)})`;
    case 'turn-end':
      return `outcome ${escapeText(e.outcome)}`;
    case 'session-end':
      return escapeText(e.reason);
    default:
      // An entry kind this build does not know (a newer trace): show it as it is.
      return payload(e as unknown, '');
  }
}

function payload(value: unknown, note: string): string {
  const prefix = note ? `<span class="muted">${escapeText(note)}</span> ` : '';
  return `${prefix}<code class="json">${escapeText(JSON.stringify(value))}</code>`;
}

/** CSS for the event table. */
export const EVENT_TABLE_CSS = `
.events summary{cursor:pointer;font-weight:600;padding:6px 0}.events .filters{display:flex;gap:16px;align-items:center;margin:6px 0;flex-wrap:wrap}
.events table{width:100%;table-layout:fixed;font-size:12.5px}.events th:nth-child(1){width:90px}.events th:nth-child(2){width:40px}
.events th:nth-child(3){width:22px}.events th:nth-child(4){width:300px}.events td{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.events td.num{text-align:right;font-variant-numeric:tabular-nums}.events td:nth-child(4){font-family:ui-monospace,Menlo,Consolas,monospace}
.events code.json{cursor:pointer}.events tr.open td{white-space:pre-wrap;word-break:break-all}.events tr[hidden]{display:none}
`;
