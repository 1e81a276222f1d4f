/**
 * `realtime-canary sim --list` and `--help` (the built CLI, as a user runs it): every built-in scenario on its own
 * line with its one-line description, the WebRTC scenarios after them (each saying the turn its fault is on), and
 * the help naming the model profiles.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/sim/index.js';
import { runCli } from '../cli/cliRun.js';
import { BUILTIN_WEBRTC_SCENARIOS } from '../../src/sim/webrtc/mediaFaults.js';
import { WEBRTC_LIST_HEADING } from '../../src/cli/simCommand.js';

describe('sim --list / --help', () => {
  it('lists every built-in scenario once, one line each, with its description', async () => {
    const r = await runCli(['sim', '--list']);
    expect(r.code).toBe(0);
    const [events] = r.stdout.trimEnd().split('\n\n') as [string];
    const lines = events.split('\n');
    expect(lines).toHaveLength(Object.keys(BUILTIN_SCENARIOS).length);
    const column = lines[0]!.search(/ \S/) + 1;
    for (const [name, s] of Object.entries(BUILTIN_SCENARIOS)) {
      const line = lines.find((l) => l.startsWith(`${name} `));
      expect(line, name).toBeDefined();
      expect(line!.slice(column)).toBe(s.description); // descriptions start in one column
      expect(s.description).not.toContain('\n');
    }
    for (const name of [
      'reasoning-healthy',
      'preamble-only',
      'two-generations',
      'capacity-unavailable',
      'model-retired',
    ])
      expect(lines.some((l) => l.startsWith(`${name} `))).toBe(true);
  });

  it('lists the WebRTC scenarios after the event ones, saying a turn-2 fault needs 2 turns, and names them in --help', async () => {
    const r = await runCli(['sim', '--list']);
    const [events, webrtc] = r.stdout.trimEnd().split('\n\n') as [string, string];
    const column = events.split('\n')[0]!.search(/ \S/) + 1;
    const [heading, ...lines] = webrtc.split('\n');
    expect(heading).toBe(WEBRTC_LIST_HEADING);
    expect(heading).toContain('--turns 2 or more');
    expect(lines).toHaveLength(Object.keys(BUILTIN_WEBRTC_SCENARIOS).length);
    for (const [name, s] of Object.entries(BUILTIN_WEBRTC_SCENARIOS)) {
      const line = lines.find((l) => l.startsWith(`${name} `));
      expect(line, name).toBeDefined();
      expect(line!.slice(column)).toBe(s.description);
      // a fault planned for a later turn says which turn in its description
      const firstTurn = (s.turns ?? []).findIndex((t) => t.length > 0);
      if (firstTurn >= 0) expect(s.description, name).toMatch(new RegExp(`^Turn ${firstTurn + 1}:`));
    }
    expect(lines.find((l) => l.startsWith('rtp-stall '))).toMatch(/Turn 2:/);
    const help = await runCli(['sim', '--help']);
    for (const name of Object.keys(BUILTIN_WEBRTC_SCENARIOS)) expect(help.stdout).toContain(name);
    const wrong = await runCli(['sim', '--scenario', 'rtp-stall', '--port', '0']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('"rtp-stall" is a WebRTC scenario: a call picks it with ?scenario=rtp-stall');
  });

  it('--help explains how the URL picks the model profile', async () => {
    const r = await runCli(['sim', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gpt-realtime-2.1 and gpt-realtime-2.1-mini answer as');
    expect(r.stdout).toContain('reasoning models');
  });
});
