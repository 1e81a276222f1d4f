/**
 * `probe --output-format` as a user meets it (the built CLI in a child process): `pcmu` against a service that
 * accepts it and sends PCM16 anyway is an `audio_format_mismatch` (exit 1); an unknown format, or `pcmu` over WebRTC,
 * is one line naming the flag (exit 2).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { runCli } from './cliRun.js';

const KEY = 'output-format-cli-key-5b1e';
let sim: RunningSimulator;
beforeAll(async () => {
  // the CLI probes with the full prompt catalogue, so the simulator answers from it too
  sim = await startSimulator({ port: 0, apiKey: KEY });
});
afterAll(async () => sim?.close());

const probe = async (scenario: string, ...flags: string[]) =>
  runCli(
    [
      'probe',
      '--endpoint',
      sim.url('azure-ga', { scenario }),
      '--api-key-env',
      'RC_KEY',
      '--turns',
      '1',
      '--pace',
      'burst',
      '--out',
      await mkdtemp(join(tmpdir(), 'rc-cli-format-')),
      ...flags,
    ],
    { RC_KEY: KEY },
  );

describe('probe --output-format', () => {
  it('pcmu against pcmu-ignored: audio_format_mismatch, exit 1; against an honest service: a pass, exit 0', async () => {
    const ignored = await probe('pcmu-ignored', '--output-format', 'pcmu');
    expect(ignored.code).toBe(1);
    expect(ignored.out).toContain('audio_format_mismatch');
    const honest = await probe('healthy', '--output-format', 'pcmu');
    expect([honest.code, honest.out]).toEqual([0, expect.not.stringContaining('audio_format_mismatch')]);
  }, 60_000);

  it.each([
    [['--output-format', 'ulaw'], 'realtime-canary probe: --output-format: expects one of pcm16, pcmu, got "ulaw"'],
    [
      ['--output-format', 'pcmu', '--transport', 'webrtc'],
      'realtime-canary probe: --output-format: applies to the WebSocket only (WebRTC carries Opus)',
    ],
  ])('%j is refused in one line, exit 2', async (flags, message) => {
    const r = await probe('healthy', ...flags);
    expect([r.code, r.stderr.trim()]).toEqual([2, message]);
  });
});
