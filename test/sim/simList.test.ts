/**
 * `realtime-canary sim --list` and `--help` (the built CLI, as a user runs it): every built-in scenario on its own
 * line with its one-line description, and the help naming the model profiles.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/sim/index.js';
import { runCli } from '../cli/cliRun.js';

describe('sim --list / --help', () => {
  it('lists every built-in scenario once, one line each, with its description', async () => {
    const r = await runCli(['sim', '--list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
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

  it('--help explains how the URL picks the model profile', async () => {
    const r = await runCli(['sim', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gpt-realtime-2.1 and gpt-realtime-2.1-mini answer as');
    expect(r.stdout).toContain('reasoning models');
  });
});
