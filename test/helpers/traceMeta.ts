/** A minimal trace meta line for tests that record frames by hand (the recorder and its audio spill). */
import { TRACE_FORMAT_VERSION, type TraceMeta } from '../../src/trace/trace.js';

export function testMeta(turns = 1): TraceMeta {
  return {
    kind: 'meta',
    formatVersion: TRACE_FORMAT_VERSION,
    runId: 'r',
    tool: { name: 't', version: '0' },
    target: {
      name: 'x',
      flavour: 'azure-ga',
      dialect: 'ga',
      url: 'ws://x',
      host: 'x',
      deployment: undefined,
      region: undefined,
    },
    startedAt: '2026-01-01T00:00:00.000Z',
    startEpochMs: 0,
    options: {
      turns,
      turnDetection: 'manual',
      modality: 'audio',
      chunkMs: 100,
      turnTimeoutMs: 1,
      sessionTimeoutMs: 1,
      connectTimeoutMs: 1,
      settleMs: 1,
    },
    prompts: [],
  };
}
