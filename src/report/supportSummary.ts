/**
 * The support case summary: plain text to paste into an Azure (or OpenAI) support request — what happened, when,
 * where, and every id the support engineer will ask for, turn by turn. Pure.
 */
import type { Report } from '../analysis/report.js';
import { turnLine } from '../analysis/turnLine.js';
import { isAzure } from '../realtime/flavours.js';
import type { Correlation } from './correlation.js';
import { duration } from './format.js';

/** The ready-to-paste summary of a run. */
export function supportSummary(report: Report, c: Correlation): string {
  const azure = isAzure(c.flavour);
  const product = azure ? 'Azure OpenAI Realtime API' : 'OpenAI Realtime API';
  const what = report.summary.findingCodes.length ? report.summary.findingCodes.join(', ') : 'no findings';
  const lines = [
    `Subject: ${product} – ${report.verdict === 'pass' ? 'healthy run' : what} (${c.deployment ?? c.target}${c.region ? `, probed from ${c.region}` : ''})`,
    '',
    `Observed: ${report.summary.headline ?? 'all turns healthy'}`,
    `Verdict: ${report.verdict.toUpperCase()} — ${report.summary.failingTurns} of ${report.summary.turns} turn(s) failing; findings: ${what}`,
    '',
    `Time window (UTC): ${c.startedAt} – ${c.endedAt} (${duration(report.times.durationMs)})`,
    `Endpoint host: ${c.endpointHost}`,
    `Deployment: ${c.deployment ?? '—'}${c.model ? `   Model: ${c.model}` : ''}`,
    `API: ${c.flavour} (${c.dialect} dialect)${c.apiVersion ? `, api-version ${c.apiVersion}` : ''}`,
    `Transport: ${c.transport}${c.transport === 'WebRTC' ? ` (call endpoint ${c.endpoint})` : ''}`,
    `Client region: ${c.region ?? 'unknown'}`,
    `Session id: ${c.sessionId ?? '— (no session.created)'}`,
  ];
  if (c.transport === 'WebRTC') lines.push(`WebRTC call id: ${c.callId ?? '— (no call was created)'}`);
  if (c.conversationIds.length) lines.push(`Conversation id(s): ${c.conversationIds.join(', ')}`);
  const lookup = c.ids.filter((id) => id.lookup);
  lines.push(
    `Request ids: ${lookup.length ? lookup.map((id) => `${id.label} (${id.header}) ${id.value}`).join('; ') : '— (none in the upgrade headers)'}`,
  );
  for (const id of c.ids.filter((x) => !x.lookup)) lines.push(`${id.label} (${id.header}): ${id.value}`);
  lines.push('', 'Turns:');
  for (const t of c.turns) {
    const turn = report.turns.find((x) => x.turn === t.turn);
    lines.push(`- Turn ${t.turn}: ${turn ? turnLine(turn) : t.verdict.toUpperCase()}`);
    for (const r of t.responses) {
      const status = r.status ? `, status ${r.status}${r.statusDetails ? ` ${r.statusDetails}` : ''}` : '';
      lines.push(`  response ${r.id}: created ${r.createdAt ?? '—'}, done ${r.doneAt ?? 'never'}${status}`);
    }
    if (!t.responses.length) lines.push('  no response');
    if (t.itemIds.length) lines.push(`  item ids: ${t.itemIds.join(', ')}`);
    if (t.clientEventIds.length) lines.push(`  client event ids: ${t.clientEventIds.join(', ')}`);
    for (const f of t.findings) lines.push(`  ${f}`);
  }
  for (const f of report.findings) lines.push(`- Session: ${f.code} (${f.severity}): ${f.message}`);
  lines.push(
    '',
    'Evidence attached (evidence.zip): events.jsonl (every client and server event with receive times), ' +
      'turn-<n>.wav (the audio as received, PCM16 24 kHz mono), ' +
      (c.transport === 'WebRTC'
        ? 'rtp-<n>.bin (every RTP packet received: arrival time, sequence number, RTP timestamp, size), '
        : '') +
      'report.json.',
    `Captured by ${c.tool}, run ${c.runId}.`,
  );
  return lines.join('\n');
}
