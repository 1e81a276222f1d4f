/**
 * A scheduled round with `transport: "both"` over loopback: the same deployment probed over the WebSocket and
 * over WebRTC in one round; a WebSocket-only gap is attributed to the WebSocket path and a WebRTC-only stall to
 * the media path. (The simulator's `?scenario=` name resolves to an event scenario on the WebSocket and to a
 * WebRTC scenario of the same name on WebRTC, so each fault reaches one transport only.)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../../src/analysis/report.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { runRound } from '../../src/runner/round.js';
import { createChannels, createStore } from '../../src/runner/roundDeps.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { KEY, shortCatalog } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    catalog: shortCatalog(),
    scenarios: {
      'ws-gap': {
        name: 'ws-gap',
        description: '',
        turns: [{ faults: [{ kind: 'silent-gap', atMs: 1000, durationMs: 2600 }] }],
      },
      'rtc-stall': { name: 'rtc-stall', description: '' },
    },
    webrtc: {
      scenarios: {
        'ws-gap': { name: 'ws-gap', description: '' },
        'rtc-stall': {
          name: 'rtc-stall',
          description: '',
          turns: [[{ kind: 'rtp-stall', atMs: 1000, durationMs: 1500 }]],
        },
      },
    },
  });
  await new Promise((r) => setTimeout(r, 500));
});
afterAll(async () => {
  await sim?.close();
  await cleanupTempDirs();
});

it('attributes a WebSocket-only gap to the WebSocket path and a WebRTC-only stall to the media path', async () => {
  const out = await tempDir('webrtc-round-');
  const target = (name: string, scenario: string): object => ({
    name,
    endpoint: sim.url('azure-ga', { scenario }),
    auth: 'api-key',
    secretSetting: 'SIM_KEY',
    transport: 'both',
    turns: 1,
  });
  const env = {
    SIM_KEY: KEY,
    CANARY_REGION: 'local',
    CANARY_OUTPUT_DIR: out,
    CANARY_SPOOL_DIR: `${out}/.spool`,
    CANARY_TURNS: '1',
    CANARY_TARGETS: JSON.stringify([target('gap', 'ws-gap'), target('stall', 'rtc-stall')]),
    CANARY_PROMPTS: 'count-to-twenty',
    CANARY_CONCURRENCY: '4',
  };
  const settings = loadSettings(env);
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const store = createStore(settings, log);
  const result = await runRound(settings, settings.targets!, {
    store,
    env,
    log,
    channels: createChannels(settings, store, log),
    probe: { settleMs: 200 },
  });
  // the round keeps only the summaries; the reports are read back from the store as a user would
  const report = async (name: string): Promise<Report> => {
    const s = result.outcomes.find((o) => o.summary.target === name)!.summary;
    return JSON.parse(
      await readFile(join(out, s.reportHtmlPath.replace(/report\.html$/, 'report.json')), 'utf8'),
    ) as Report;
  };
  const comparison = async (name: string): Promise<string | undefined> => (await report(name)).comparison?.[0]?.message;
  expect(result.outcomes.map((o) => o.summary.target).sort()).toEqual(['gap', 'gap-webrtc', 'stall', 'stall-webrtc']);
  expect(await comparison('gap-webrtc')).toMatch(/WebRTC clean, WebSocket 2\.\d s silent gap: the WebSocket path$/);
  expect(await comparison('stall-webrtc')).toMatch(/WebSocket clean, WebRTC 1\.\d s media stall: the media path$/);
  expect((await report('stall-webrtc')).target.transport).toBe('webrtc');
  expect((await report('stall-webrtc')).correlation.callId).toMatch(/^rtc_/);
});
