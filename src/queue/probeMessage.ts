/**
 * One queued probe (queue mode, issue 22): which target, in which region, in which run (one run id per planned
 * minute and region, so a group's baseline and its targets planned into one minute share a run folder and the
 * comparison can find the baseline's report), when it should start, and `notAfter`, past which it is dropped as
 * stale — a backlog never probes at the wrong time and reports latency the queue caused. The message holds names
 * and times only: the target's configuration (and its secrets) stay in the settings. Pure.
 */
import { createHash } from 'node:crypto';
import { isRecord } from '../json.js';
import { InputError } from '../errors.js';

export interface ProbeMessage {
  v: 1;
  region: string;
  target: string;
  /** The run the probe belongs to: {@link runIdOfMinute} of its start's minute. */
  runId: string;
  /** ISO time of the minute the run's folder and index line are dated by. */
  runStartedAt: string;
  /** ISO time the probe is planned to start (the message becomes visible then). */
  startAt: string;
  /** ISO time after which the message is stale and dropped. */
  notAfter: string;
}

/** The run id of every probe planned into one minute of one region: the minute, and a hash of region and minute. */
export function runIdOfMinute(minuteStartMs: number, region: string): string {
  const iso = new Date(minuteStartMs).toISOString();
  const stamp = iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-q${createHash('sha256').update(`${region}\u0000${iso}`).digest('hex').slice(0, 7)}`;
}

export const MINUTE_MS = 60_000;

/** The message of a probe of `target` starting at `startAt` (epoch ms), stale `lateMs` after it. */
export function probeMessage(region: string, target: string, startAt: number, lateMs: number): ProbeMessage {
  const minute = Math.floor(startAt / MINUTE_MS) * MINUTE_MS;
  return {
    v: 1,
    region,
    target,
    runId: runIdOfMinute(minute, region),
    runStartedAt: new Date(minute).toISOString(),
    startAt: new Date(startAt).toISOString(),
    notAfter: new Date(startAt + lateMs).toISOString(),
  };
}

/** The queue's text for a message: base64 of its JSON, the Functions queue trigger's default `messageEncoding`. */
export function encodeProbeMessage(m: ProbeMessage): string {
  return Buffer.from(JSON.stringify(m), 'utf8').toString('base64');
}

/**
 * A message as the queue trigger hands it over (the host decodes base64 and parses JSON; a string is parsed here),
 * validated field by field. Throws InputError naming what is wrong.
 */
export function readProbeMessage(entry: unknown): ProbeMessage {
  let value = entry;
  if (typeof entry === 'string') {
    try {
      value = JSON.parse(entry) as unknown;
    } catch {
      throw new InputError('probe message', 'not JSON');
    }
  }
  if (!isRecord(value) || value.v !== 1) throw new InputError('probe message', 'not a version-1 probe message');
  const text = (k: keyof ProbeMessage): string => {
    const s = value[k];
    if (typeof s !== 'string' || s.length === 0 || s.length > 200)
      throw new InputError('probe message', `"${k}" is missing or not a short string`);
    return s;
  };
  const time = (k: 'runStartedAt' | 'startAt' | 'notAfter'): string => {
    const s = text(k);
    if (Number.isNaN(Date.parse(s))) throw new InputError('probe message', `"${k}" is not a time`);
    return s;
  };
  return {
    v: 1,
    region: text('region'),
    target: text('target'),
    runId: text('runId'),
    runStartedAt: time('runStartedAt'),
    startAt: time('startAt'),
    notAfter: time('notAfter'),
  };
}
