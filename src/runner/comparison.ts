/**
 * Compares the targets of one group with the group's baseline (e.g. Azure francecentral and swedencentral
 * against OpenAI direct, same prompts, same minute): "francecentral: 3 of 6 turns with silent gaps (max 3.1 s);
 * baseline openai: 0 of 6 — the hosting layer is the likely cause". Pure, and it works from compact per-run
 * tallies ({@link tallyOf}), so a round can publish each run's heavy artifacts as soon as it ends and compare
 * once the group is complete; {@link withComparison} then adds each member's comparisons to its report.
 */
import type { Report, ReportComparison } from '../analysis/report.js';
import { FINDING_WORDS, isFailingSeverity, type FindingCode, type Verdict } from '../analysis/findings.js';
import { seconds } from '../report/format.js';
import type { TransportKind } from '../trace/trace.js';

export interface GroupMember {
  name: string;
  group: string | undefined;
  baseline: boolean;
  tally: RunTally;
}

/** What a comparison needs of one run: a few numbers, not the report. */
export interface RunTally {
  verdict: Verdict;
  turns: number;
  failing: number;
  /** Turns with a failing finding, by code. */
  byCode: Map<FindingCode, number>;
  maxGapMs: number;
  findingCodes: FindingCode[];
  /** Which deployment was probed (flavour/host/deployment) and over which transport, to pair the two transports. */
  endpoint?: string;
  transport?: TransportKind;
  /** The worst failing finding with its length ("2.6 s silent gap"), for the transport sentence. */
  worst?: string;
}

type TurnTally = RunTally;

/** The tally of a report. */
export function tallyOf(report: Report): RunTally {
  const byCode = new Map<FindingCode, number>();
  let failing = 0;
  let maxGapMs = 0;
  for (const t of report.turns) {
    if (t.verdict !== 'pass') failing++;
    const failingFindings = t.findings.filter((f) => isFailingSeverity(f.severity));
    for (const code of new Set(failingFindings.map((f) => f.code))) byCode.set(code, (byCode.get(code) ?? 0) + 1);
    for (const f of failingFindings) if (f.code === 'silent_gap') maxGapMs = Math.max(maxGapMs, f.durationMs ?? 0);
  }
  const target = report.target;
  return {
    verdict: report.verdict,
    turns: report.turns.length,
    failing,
    byCode,
    maxGapMs,
    findingCodes: report.summary.findingCodes,
    endpoint: target ? `${target.flavour}/${target.host}/${target.deployment ?? ''}` : undefined,
    transport: target?.transport ?? 'websocket',
    worst: problem(report),
  };
}

/** The tally of a run that has no analysis (configuration error, failed analysis). */
export function errorTally(findingCodes: FindingCode[] = []): RunTally {
  return { verdict: 'error', turns: 0, failing: 0, byCode: new Map(), maxGapMs: 0, findingCodes };
}

function describe(name: string, t: TurnTally, code: FindingCode | undefined): string {
  if (!code) return `${name}: ${t.failing} of ${t.turns} turns failing`;
  const gap = code === 'silent_gap' && t.maxGapMs > 0 ? ` (max ${seconds(t.maxGapMs)})` : '';
  return `${name}: ${t.byCode.get(code) ?? 0} of ${t.turns} turns with ${FINDING_WORDS[code].plural}${gap}`;
}

/** The report with this round's comparisons of its target added. Pure. */
export function withComparison(report: Report, comparisons: readonly ReportComparison[]): Report {
  return comparisons.length ? { ...report, comparison: [...(report.comparison ?? []), ...comparisons] } : report;
}

/** One comparison per non-baseline member of a group that has a baseline in this round. */
export function compareGroups(members: readonly GroupMember[]): Map<string, ReportComparison> {
  const out = new Map<string, ReportComparison>();
  const groups = new Map<string, GroupMember[]>();
  for (const m of members) if (m.group) groups.set(m.group, [...(groups.get(m.group) ?? []), m]);
  for (const [group, list] of groups) {
    const paired = compareTransports(group, list, out);
    const baseline = list.find((m) => m.baseline);
    if (!baseline) continue;
    const b = baseline.tally;
    for (const m of list) {
      if (m === baseline || paired.has(m)) continue;
      const t = m.tally;
      // the problem to compare on: the target's most frequent turn finding, else the baseline's
      const code = mostFrequent(t.byCode) ?? mostFrequent(b.byCode);
      const baseCount = code ? (b.byCode.get(code) ?? 0) : b.failing;
      const cause = verdictCause(t.verdict, b.verdict, t, b);
      const subject =
        t.verdict === 'error'
          ? `${m.name}: could not be probed (${t.findingCodes.join(', ') || 'no session'})`
          : describe(m.name, t, code);
      const message = `${subject}; baseline ${baseline.name}: ${baseCount} of ${b.turns} — ${cause}`;
      out.set(m.name, { group, baseline: baseline.name, message });
    }
  }
  return out;
}

function mostFrequent(byCode: Map<FindingCode, number>): FindingCode | undefined {
  return [...byCode].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function verdictCause(target: Verdict, baseline: Verdict, t: TurnTally, b: TurnTally): string {
  if (baseline === 'error') return 'the baseline could not be probed, so no conclusion';
  if (target === 'error') return 'the target could not be probed while the baseline could';
  const targetBad = t.failing > 0;
  const baselineBad = b.failing > 0;
  if (targetBad && !baselineBad) return 'the hosting layer is the likely cause';
  if (targetBad && baselineBad) return 'the baseline fails too, so the model or the prompt is the likely cause';
  if (!targetBad && baselineBad) return 'only the baseline fails';
  return 'both healthy';
}

const TRANSPORT_NAME = { websocket: 'WebSocket', webrtc: 'WebRTC' } as const;

/**
 * Same deployment, both transports, same round: says whether a fault is transport-specific ("WebRTC clean,
 * WebSocket 2.6 s silent gap: the WebSocket path"). Fills `out` for both members; returns the members it paired.
 */
function compareTransports(
  group: string,
  list: readonly GroupMember[],
  out: Map<string, ReportComparison>,
): Set<GroupMember> {
  const paired = new Set<GroupMember>();
  for (const ws of list.filter((m) => m.tally.endpoint && (m.tally.transport ?? 'websocket') === 'websocket')) {
    // the two halves of one `transport: "both"` target (`<name>` and `<name>-webrtc`, see config/targets.ts), or the
    // only WebSocket and the only WebRTC target of a deployment in the group; with several on one deployment (other
    // keys, scenarios or prompts) which pairs belong together is not known, so none is paired
    const same = list.filter((m) => m.tally.endpoint === ws.tally.endpoint);
    const unambiguous = same.length === 2;
    const rtc = same.find(
      (m) => m.tally.transport === 'webrtc' && (m.name === `${ws.name}-webrtc` || unambiguous) && !paired.has(m),
    );
    if (!rtc || paired.has(ws)) continue;
    paired.add(ws).add(rtc);
    const message = `${ws.name} (WebSocket) / ${rtc.name} (WebRTC): ${transportSentence(ws.tally, rtc.tally)}`;
    out.set(ws.name, { group, baseline: rtc.name, message });
    out.set(rtc.name, { group, baseline: ws.name, message });
  }
  return paired;
}

function transportSentence(ws: RunTally, rtc: RunTally): string {
  const wsBad = ws.verdict !== 'pass';
  const rtcBad = rtc.verdict !== 'pass';
  const w = `${TRANSPORT_NAME.websocket} ${ws.worst ?? 'failing'}`;
  const r = `${TRANSPORT_NAME.webrtc} ${rtc.worst ?? 'failing'}`;
  if (wsBad && !rtcBad) return `WebRTC clean, ${w}: the WebSocket path`;
  if (rtcBad && !wsBad)
    return `WebSocket clean, ${r}: the ${rtc.verdict === 'error' ? 'media path (UDP, TURN or DTLS)' : 'media path'}`;
  if (wsBad && rtcBad) return `both transports fail (${w}; ${r}): the model or the service, not a transport`;
  return 'WebSocket and WebRTC both clean';
}

/** The worst failing finding of a report, with its length: "2.6 s silent gap". */
function problem(report: Report): string {
  const findings = [...(report.findings ?? []), ...report.turns.flatMap((t) => t.findings)].filter((f) =>
    isFailingSeverity(f.severity),
  );
  const worst = findings.sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))[0];
  if (!worst) return report.verdict === 'error' ? 'could not be probed' : 'failing';
  const what = FINDING_WORDS[worst.code].plural.replace(/s$/, '');
  return worst.durationMs ? `${seconds(worst.durationMs)} ${what}` : what;
}
