/** CANARY_MUTE: maintenance windows by target or group, each with an end time; errors name the entry and field. */
import { describe, expect, it } from 'vitest';
import { muteScope, parseMutes } from '../../src/config/mute.js';

describe('CANARY_MUTE', () => {
  it('reads targets and groups, each until a zoned time (kept in UTC), with an optional reason', () => {
    expect(parseMutes(undefined)).toEqual([]);
    expect(parseMutes('  ')).toEqual([]);
    const mutes = parseMutes(
      JSON.stringify([
        { target: 'aoai-sweden', until: '2026-11-24T19:00+01:00', reason: 'planned upgrade' },
        { group: 'gpt-realtime', until: '2026-11-25T06:00:00Z' },
      ]),
    );
    expect(mutes).toEqual([
      { target: 'aoai-sweden', until: '2026-11-24T18:00:00.000Z', reason: 'planned upgrade' },
      { group: 'gpt-realtime', until: '2026-11-25T06:00:00.000Z' },
    ]);
    expect(mutes.map(muteScope)).toEqual(['target aoai-sweden', 'group gpt-realtime']);
  });

  it.each([
    ['{"target":"x"}', /^CANARY_MUTE: must be a JSON array/],
    ['[{"target":"x"', /^CANARY_MUTE: is not valid JSON/],
    ['["x"]', /^CANARY_MUTE\[0\]: must be an object/],
    ['[{"until":"2026-11-24T18:00Z"}]', /^CANARY_MUTE\[0\]: must name exactly one "target" or one "group"/],
    ['[{"target":"a","group":"g","until":"2026-11-24T18:00Z"}]', /^CANARY_MUTE\[0\]: must name exactly one/],
    ['[{"target":"a b","until":"2026-11-24T18:00Z"}]', /^CANARY_MUTE\[0\]\.target: must be a target or group name/],
    ['[{"group":"g","until":"2026-11-24 18:00"}]', /^CANARY_MUTE\[0\]\.until: must be a date and time with its zone/],
    ['[{"group":"g","until":"2026-11-24T18:00"}]', /^CANARY_MUTE\[0\]\.until: must be a date and time with its zone/],
    ['[{"group":"g","until":"2026-13-45T18:00Z"}]', /^CANARY_MUTE\[0\]\.until/],
    ['[{"group":"g","until":"2026-11-24T18:00Z","why":"x"}]', /^CANARY_MUTE\[0\]\.why: is not a known field/],
    ['[{"group":"g","until":"2026-11-24T18:00Z","reason":"a\\nb"}]', /^CANARY_MUTE\[0\]\.reason: must be one line/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseMutes(raw)).toThrow(message);
  });

  it('names the entry that is wrong', () => {
    const raw = JSON.stringify([
      { target: 'a', until: '2026-11-24T18:00Z' },
      { target: 'b', until: 'tomorrow' },
    ]);
    expect(() => parseMutes(raw)).toThrow(/^CANARY_MUTE\[1\]\.until:/);
  });
});
