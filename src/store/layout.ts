/**
 * The documented layout of everything the canary stores, as pure functions of names and times. The same
 * relative paths are used in Blob Storage (inside the configured container) and in a local folder:
 *
 * ```text
 * runs/<yyyy>/<mm>/<dd>/<runId>/<region>/<target>/events.jsonl.gz   every frame of the run, gzip-compressed
 * runs/<yyyy>/<mm>/<dd>/<runId>/<region>/<target>/turn-<n>.wav      answer audio of turn n
 * runs/<yyyy>/<mm>/<dd>/<runId>/<region>/<target>/prompt-<n>.wav    prompt audio of turn n
 * runs/<yyyy>/<mm>/<dd>/<runId>/<region>/<target>/rtp-<n>.bin       WebRTC: the received RTP packets of turn n
 * runs/<yyyy>/<mm>/<dd>/<runId>/<region>/<target>/report.json       the analysis report
 * runs/<yyyy>/<mm>/<dd>/<runId>/<region>/<target>/report.html       the same report for people
 * runs/<yyyy>/<mm>/<dd>/<runId>/<region>/<target>/evidence.zip      the event log, WAVs, report.json and a support summary
 * runs/<yyyy>/<mm>/<dd>/<runId>/<region>/<target>/confirm-<n>/      confirmation probe n: its events, audio and report.json
 * runs/demo-history.html                                            the page the demo's synthetic history links to
 * latest/<region>/<target>.json                                     RunSummary of the newest run
 * index/<yyyy-mm-dd>.jsonl                                          one RunSummary per line (append blob)
 * state/<region>/<target>.json                                      AlertState (ETag-guarded)
 * state/<region>/<target>.corrupt-<time>.json                        a state blob that could not be read, moved aside
 * history/<region>/<target>.json                                     healthy turns the analysis learns rates from
 * fingerprint/<region>/<target>.json                                 the model and defaults last seen (drift)
 * retirement/<target>.json                                          model retirements already announced (one card each)
 * models/<service>/<model>.json                                      the live lookup's last answer about a model
 * alerts/<time>-<target>-<kind>.json                                 notifications, when no webhook is configured
 * heartbeats/<region>.json                                          the region's last round (the watchdog reads it)
 * watchdog/<region>.json                                            AlertState of "this region is silent" (ETag-guarded)
 * poison/<region>.json                                              queue mode: AlertState of "probes in the poison queue" (ETag-guarded)
 * mutes/<mute>.json                                                 a CANARY_MUTE seen on, and its end message (ETag-guarded)
 * ledger/<yyyy-mm-dd>.json                                           the day's spend ledger (ETag-guarded)
 * quota/<deployment|key>/<id>.json                                  sessions started against a budget (ETag-guarded)
 * plan/<region>/rotation.json                                       where the next full round starts (ETag-guarded)
 * plan/<region>/planner.lease                                       queue mode: the blob whose lease makes one planner per region
 * plan/<region>/planner.json                                        queue mode: the window planned so far (ETag-guarded)
 * index.html                                                        the dashboard
 * ```
 *
 * Dates are UTC and come from the round's start time, so every target of one round lands in one day folder
 * and one index file even when the round crosses midnight. Region, target and run id are made safe with
 * {@link safeSegment}.
 */
import { createHash } from 'node:crypto';

/** The dashboard page at the root of the container. */
export const DASHBOARD_PATH = 'index.html';
/** The folder of every run's artifacts (the only one the reports site serves besides the dashboard). */
export const RUNS_ROOT = 'runs';
/** The demo's synthetic history (`npm start -- --history`): its made-up runs all link to this one page. */
export const DEMO_HISTORY_PAGE = `${RUNS_ROOT}/demo-history.html`;
/** File names inside a run folder. The event log is written plain (`events.jsonl`) by `probe --out`, compressed in the store. */
export const EVENTS_JSONL = 'events.jsonl';
export const EVENTS_GZ = `${EVENTS_JSONL}.gz`;
export const REPORT_JSON = 'report.json';
export const REPORT_HTML = 'report.html';
/** A turn's answer (`turn`) or prompt audio as a report links it: unchecked, a report.json read from disk is not trusted. */
export const wavName = (kind: 'turn' | 'prompt', turn: number): string => `${kind}-${turn}.wav`;
/** The answer audio, the prompt audio and (WebRTC) the RTP log of turn n. */
export const turnWavName = (turn: number): string => wavName('turn', turnNumber(turn));
export const promptWavName = (turn: number): string => wavName('prompt', turnNumber(turn));
export const rtpLogName = (turn: number): string => `rtp-${turnNumber(turn)}.bin`;
/** Next to report.html: the run's evidence in one download (see ../report/evidence.ts). */
export const EVIDENCE_ZIP = 'evidence.zip';
/** The folder of confirmation probe `attempt` inside its run folder (`confirm-2/`), with a trailing slash. */
export const confirmDir = (attempt: number): string => `confirm-${attempt}/`;

const MAX_SEGMENT = 80;

/**
 * Turns a free-form name (target, region, run id) into one safe path segment: letters, digits, `.`, `_`
 * and `-` only, no leading/trailing dots or dashes, at most 80 characters, never `.`/`..`/empty. A name that
 * had to change gets a short hash of the original appended, so two different names never share a folder
 * (`"gpt realtime"` and `"gpt/realtime"` differ). Names that are already safe are returned unchanged.
 */
export function safeSegment(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (cleaned === name && name.length > 0 && name.length <= MAX_SEGMENT) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const head = cleaned.slice(0, MAX_SEGMENT - hash.length - 1).replace(/[-.]+$/g, '');
  return head === '' ? `_${hash}` : `${head}-${hash}`;
}

/** `yyyy`, `mm`, `dd` of a UTC time. Throws RangeError on an invalid date. */
function utcParts(at: Date | string): [string, string, string] {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a valid time: ${String(at)}`);
  const iso = d.toISOString();
  return [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
}

/** Where one target's artifacts of one run go. */
export interface RunPaths {
  /** The folder, with a trailing slash (usable as a `list` prefix). */
  dir: string;
  events: string;
  reportJson: string;
  reportHtml: string;
}

/**
 * Paths of one target's run artifacts.
 * @param roundStartedAt the start of the round (not of the single probe), so a round stays in one day folder.
 */
export function runPaths(runId: string, roundStartedAt: Date | string, region: string, target: string): RunPaths {
  const [y, m, d] = utcParts(roundStartedAt);
  const dir = `${RUNS_ROOT}/${y}/${m}/${d}/${safeSegment(runId)}/${safeSegment(region)}/${safeSegment(target)}/`;
  return {
    dir,
    events: dir + EVENTS_GZ,
    reportJson: dir + REPORT_JSON,
    reportHtml: dir + REPORT_HTML,
  };
}

function turnNumber(turn: number): number {
  if (!Number.isInteger(turn) || turn < 0) throw new RangeError(`turn must be a non-negative integer, got ${turn}`);
  return turn;
}

/** The RunSummary of the newest run of a target as seen from a region. */
export function latestPath(region: string, target: string): string {
  return `latest/${safeSegment(region)}/${safeSegment(target)}.json`;
}

/** The daily index: one RunSummary per line, for the UTC day of `at`. */
export function dailyIndexPath(at: Date | string): string {
  const [y, m, d] = utcParts(at);
  return `index/${y}-${m}-${d}.jsonl`;
}

/** The prefix of every (region, target) alert state. */
export const ALERT_STATE_PREFIX = 'state/';

/** The alert state blob of a (region, target) pair. */
export function alertStatePath(region: string, target: string): string {
  return `${ALERT_STATE_PREFIX}${safeSegment(region)}/${safeSegment(target)}.json`;
}

/** Where an unreadable state blob (`….json`) is moved before it is rebuilt: `….corrupt-<time>.json` beside it. */
export function corruptPath(path: string, at: Date): string {
  return `${path.replace(/\.json$/, '')}.corrupt-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}

/** The prefix of every region's heartbeat (`list` it to find the regions). */
export const HEARTBEATS_PREFIX = 'heartbeats/';

/** The heartbeat a region writes at the end of every round. */
export function heartbeatPath(region: string): string {
  return `${HEARTBEATS_PREFIX}${safeSegment(region)}.json`;
}

/** The prefix of the watchdog's alert states. */
export const WATCHDOG_PREFIX = 'watchdog/';

/** The watchdog's alert state about one region ("silent since …"), shared by every region that watches it. */
export function watchdogStatePath(region: string): string {
  return `${WATCHDOG_PREFIX}${safeSegment(region)}.json`;
}

/** Queue mode: the alert state of the region's poison queue ("N probe messages in …", ../sinks/alerts/poison.ts). */
export function poisonStatePath(region: string): string {
  return `poison/${safeSegment(region)}.json`;
}

/** The state of one mute (CANARY_MUTE entry): seen on, and its end message. `key` names the mute (../sinks/alerts/mute.ts). */
export function muteStatePath(key: string): string {
  return `mutes/${safeSegment(key)}.json`;
}

/** The healthy-turn history of a (region, target) pair. */
export function historyPath(region: string, target: string): string {
  return `history/${safeSegment(region)}/${safeSegment(target)}.json`;
}

/** The drift fingerprint of a (region, target) pair. */
export function fingerprintPath(region: string, target: string): string {
  return `fingerprint/${safeSegment(region)}/${safeSegment(target)}.json`;
}

/** The model retirements already announced for a target, all regions together (one card per model and day). */
export function retirementNoticePath(target: string): string {
  return `retirement/${safeSegment(target)}.json`;
}

/** The live lookup's last answer about a model of a service (CANARY_MODEL_LOOKUP). */
export function modelCheckPath(service: string, model: string): string {
  return `models/${safeSegment(service)}/${safeSegment(model)}.json`;
}

/** A notification written to the store because no webhook is configured. */
export function notificationFilePath(createdAt: string, target: string, kind: string): string {
  return `alerts/${createdAt.replace(/[:.]/g, '-')}-${safeSegment(target)}-${safeSegment(kind)}.json`;
}

/** The spend ledger of a UTC day (`yyyy-mm-dd`). */
export function ledgerPath(day: string): string {
  return `ledger/${day}.json`;
}

/** The counter of one session budget (a deployment's or a key's), shared by every region and process. */
export function quotaCounterPath(kind: 'deployment' | 'key', id: string): string {
  return `quota/${kind}/${safeSegment(id)}.json`;
}

/** A region's rotation point: the target a round too full for every due target starts with next time. */
export function rotationPath(region: string): string {
  return `plan/${safeSegment(region)}/rotation.json`;
}

/** Queue mode: the empty blob whose lease lets one planner per region run at a time. */
export function plannerLeasePath(region: string): string {
  return `plan/${safeSegment(region)}/planner.lease`;
}

/** Queue mode: how far a region's planner has planned, and the minute its end-of-round step last ran. */
export function plannerStatePath(region: string): string {
  return `plan/${safeSegment(region)}/planner.json`;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.gz': 'application/gzip',
  '.wav': 'audio/wav',
  '.html': 'text/html; charset=utf-8',
  '.zip': 'application/zip',
};

/** The content type the layout uses for a path (by extension); `application/octet-stream` otherwise. */
export function contentTypeFor(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 ? CONTENT_TYPES[path.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
}
