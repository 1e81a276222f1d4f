/**
 * CANARY_MUTE: maintenance windows. A JSON array of mutes, each naming one target or one group and when the mute
 * ends, e.g. `[{"group":"gpt-realtime","until":"2026-11-24T18:00:00Z","reason":"planned upgrade"}]`. While a mute
 * is on, its targets are probed and reported as usual but their notifications are held (../sinks/alerts/mute.ts);
 * when it ends, one message says so. Errors name the entry and field, e.g. `CANARY_MUTE[1].until`.
 */
import { ConfigError } from '../errors.js';
import { isRecord, parseConfigJson } from '../json.js';
import { fieldOf } from './shown.js';

/** One maintenance window. */
export interface Mute {
  /** A target's name, or … */
  target?: string;
  /** … a group's (every target of the group, a `both` target's two halves included). */
  group?: string;
  /** When it ends (ISO, UTC). */
  until: string;
  /** Why, shown with the muted runs and in the end message. */
  reason?: string;
}

const SETTING = 'CANARY_MUTE';
const MAX_MUTES = 50;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** A date and time with an explicit zone: `2026-11-24T18:00Z`, `2026-11-24T19:00:00+01:00`. */
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const KNOWN = new Set(['target', 'group', 'until', 'reason']);

/** The mutes of CANARY_MUTE (none when unset or empty). */
export function parseMutes(raw: string | undefined): Mute[] {
  const text = raw?.trim();
  if (!text) return [];
  const parsed = parseConfigJson(text, SETTING);
  if (!Array.isArray(parsed))
    throw new ConfigError(SETTING, 'must be a JSON array, e.g. [{"target":"aoai-sweden","until":"2026-11-24T18:00Z"}]');
  if (parsed.length > MAX_MUTES) throw new ConfigError(SETTING, `has ${parsed.length} mutes; at most ${MAX_MUTES}`);
  return parsed.map((m, i) => parseMute(m, `${SETTING}[${i}]`));
}

function parseMute(o: unknown, at: string): Mute {
  if (!isRecord(o)) throw new ConfigError(at, 'must be an object');
  for (const key of Object.keys(o))
    if (!KNOWN.has(key))
      throw new ConfigError(fieldOf(at, key), 'is not a known field (known: target, group, until, reason)');
  if ((o.target === undefined) === (o.group === undefined))
    throw new ConfigError(at, 'must name exactly one "target" or one "group"');
  const which = o.target !== undefined ? 'target' : 'group';
  const name = o[which];
  if (typeof name !== 'string' || !NAME.test(name))
    throw new ConfigError(`${at}.${which}`, 'must be a target or group name (letters, digits, ".", "_" or "-")');
  const until = o.until;
  if (typeof until !== 'string' || !ZONED_TIME.test(until) || Number.isNaN(Date.parse(until)))
    throw new ConfigError(
      `${at}.until`,
      'must be a date and time with its zone, e.g. "2026-11-24T18:00:00Z" or "2026-11-24T19:00+01:00"',
    );
  const reason = o.reason;
  if (
    reason !== undefined &&
    (typeof reason !== 'string' || reason.length > 200 || /[\u0000-\u001f\u007f]/.test(reason))
  )
    throw new ConfigError(`${at}.reason`, 'must be one line of text, at most 200 characters');
  return {
    [which]: name,
    until: new Date(Date.parse(until)).toISOString(),
    ...(reason ? { reason } : {}),
  };
}

/** `target aoai-sweden` or `group gpt-realtime`: what a mute covers, in words. */
export function muteScope(m: Mute): string {
  return m.target !== undefined ? `target ${m.target}` : `group ${m.group}`;
}
