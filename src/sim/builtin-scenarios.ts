/**
 * The simulator's built-in scenarios. Names are stable: the CLI's `--scenario`, `npm start` and the
 * benchmarks use them. Fault scenarios put their fault in turn 1 (later turns are healthy), except
 * `gap-in-turn-2`. Offsets suit the catalogue's answers, which last 20–22 s of audio. The reasoning generation's
 * and 2026's failure scenarios are in builtin-reasoning.ts.
 */
import { BURSTY, REASONING_SCENARIOS } from './builtin-reasoning.js';
import type { Fault, OpenAIRefusal, Scenario } from './scenario.js';

function faulty(name: string, description: string, ...faults: Fault[]): Scenario {
  return { name, description, delivery: BURSTY, turns: [{ faults }] };
}

function reject(status: 401 | 403 | 429 | 503, description: string): Scenario {
  return { name: `reject-${status}`, description, upgrade: { status } };
}

function openaiRefusal(name: string, refusal: OpenAIRefusal, description: string): Scenario {
  return { name, description, refusal };
}

const STORY = [
  'Once upon a time a lighthouse keeper kept a careful log of every ship that passed the rocky point.',
  'Each evening she climbed the spiral stairs, polished the great lens, and lit the lamp before the sun went down.',
  'In winter the storms came in from the west, and the waves threw spray high over the gallery rail.',
  'She wrote down the wind, the swell, the colour of the sky, and the name of every vessel she could read.',
  'One night a small fishing boat lost its way in the fog, and she rang the bell until her arms were sore.',
  'By morning the boat was safe in the harbour, and the crew walked up the hill to thank her with fresh bread.',
];

/** A long answer (about four minutes of speech, well over 4096 output tokens) for the `output-cap` scenario. */
export function longAnswer(chapters = 4): string {
  return Array.from({ length: chapters }, (_, i) => `Chapter ${i + 1}. ${STORY.join(' ')}`).join(' ');
}

const list: Scenario[] = [
  {
    name: 'healthy',
    description: 'Every turn completes: bursts of audio 4x faster than real time, transcript aligned to it.',
    delivery: BURSTY,
  },
  {
    name: 'healthy-bursty',
    description:
      'Healthy, with large jittery bursts (1.5 s of audio at 3x, up to 80 ms of jitter) and the natural pauses of the answer.',
    delivery: { speed: 3, burstMs: 1500, jitterMs: 80 },
  },
  {
    name: 'multi-item',
    description:
      "Healthy: every answer comes as two audio items; the first item's audio .done arrives after the second item's first deltas.",
    delivery: BURSTY,
    multiItem: true,
  },
  faulty(
    'late-deltas',
    'Healthy variant, turn 1: the last 2 audio deltas arrive 200 ms after audio .done (and after response.done).',
    { kind: 'late-deltas', count: 2, afterMs: 200 },
  ),
  faulty(
    'silent-gap',
    'Turn 1: 2 s of digital silence inserted into the output audio at 4 s; the transcript goes on.',
    { kind: 'silent-gap', atMs: 4000, durationMs: 2000 },
  ),
  faulty('silent-gap-noise', 'Turn 1: 2 s of low-level noise (-60 dBFS) inserted into the output audio at 4 s.', {
    kind: 'silent-gap',
    atMs: 4000,
    durationMs: 2000,
    noiseDbfs: -60,
  }),
  faulty(
    'truncated',
    'Turn 1: audio deltas stop at 12 s (about 60 % of the answer); the transcript completes and response.done says completed with full usage.',
    { kind: 'truncate-audio', atMs: 12000 },
  ),
  faulty('no-audio-done', 'Turn 1: the audio .done event never comes; everything else does.', {
    kind: 'no-audio-done',
  }),
  faulty(
    'no-response-done',
    'Turn 1: after the last delta nothing more is sent (no .done events, no response.done); the socket stays open.',
    { kind: 'no-response-done' },
  ),
  faulty('stall', 'Turn 1: delivery pauses for 3 s at 5 s of audio, then resumes.', {
    kind: 'stall',
    atMs: 5000,
    durationMs: 3000,
  }),
  faulty(
    'drop',
    'Turn 1: the TCP connection is destroyed at 3 s of audio, without a close frame (the client sees 1006).',
    { kind: 'drop', atMs: 3000 },
  ),
  faulty('close-1001', 'Turn 1: the server closes with 1001 (going away) at 3 s of audio.', {
    kind: 'close',
    atMs: 3000,
    code: 1001,
    reason: 'Your session hit the maximum duration of 60 minutes.',
  }),
  faulty('close-1011', 'Turn 1: the server closes with 1011 (internal error) at 3 s of audio.', {
    kind: 'close',
    atMs: 3000,
    code: 1011,
    reason: 'Internal server error',
  }),
  faulty('failed', 'Turn 1: response.done with status failed (server_error, naming the session id) at 3 s of audio.', {
    kind: 'status',
    status: 'failed',
    atMs: 3000,
  }),
  faulty('incomplete', 'Turn 1: response.done with status incomplete (max_output_tokens) at 6 s of audio.', {
    kind: 'status',
    status: 'incomplete',
    reason: 'max_output_tokens',
    atMs: 6000,
  }),
  faulty('cancelled', 'Turn 1: response.done with status cancelled (turn_detected) at 5 s of audio.', {
    kind: 'status',
    status: 'cancelled',
    reason: 'turn_detected',
    atMs: 5000,
  }),
  faulty('error-event', 'Turn 1: an error event (server_error) at 2 s of audio; the response goes on and completes.', {
    kind: 'error-event',
    atMs: 2000,
  }),
  faulty('slow-delivery', 'Turn 1: audio is delivered at 0.7x real time, slower than playback.', {
    kind: 'slow-delivery',
    speed: 0.7,
  }),
  faulty('text-only', 'Turn 1: transcript deltas but no audio deltas; audio .done and response.done still come.', {
    kind: 'text-only',
  }),
  faulty('slow-first-audio', 'Turn 1: the first audio delta arrives 4 s after response.create.', {
    kind: 'slow-first-audio',
    delayMs: 4000,
  }),
  faulty(
    'lose-last-deltas',
    'Turn 1: the last 2 audio deltas never arrive; the transcript, audio .done and response.done completed with full usage do.',
    { kind: 'lose-last-deltas', count: 2 },
  ),
  faulty(
    'silent-tail',
    'Turn 1: from 12 s the audio goes on as digital silence to the end of the turn while the transcript continues.',
    { kind: 'silent-tail', atMs: 12000 },
  ),
  faulty(
    'silent-tail-noise',
    'Turn 1: from 12 s the audio goes on as low-level noise (-60 dBFS) to the end of the turn while the transcript continues.',
    { kind: 'silent-tail', atMs: 12000, noiseDbfs: -60 },
  ),
  faulty(
    'failed-after-partial',
    'Turn 1: at 3 s the item is closed as completed and response.done says failed (server_error), listing it in output.',
    { kind: 'failed-after-partial', atMs: 3000 },
  ),
  {
    name: 'output-cap',
    description:
      'Every turn: a long answer (about 4 minutes) that stops with response.done incomplete / max_output_tokens ' +
      'once it passes 4096 output tokens (Azure gpt-realtime-2).',
    delivery: { speed: 10, burstMs: 1000, jitterMs: 5 },
    answer: longAnswer(),
    turns: [
      { faults: [{ kind: 'output-cap', maxOutputTokens: 4096 }] },
      { faults: [{ kind: 'output-cap', maxOutputTokens: 4096 }] },
      { faults: [{ kind: 'output-cap', maxOutputTokens: 4096 }] },
    ],
  },
  faulty('close-4000', 'Turn 1: the server closes with 4000 (OpenAI request-shape close) at 3 s of audio.', {
    kind: 'close',
    atMs: 3000,
    code: 4000,
    reason: 'invalid_request_error',
  }),
  openaiRefusal(
    'openai-bad-key',
    'invalid_api_key',
    'OpenAI paths: 101, then error invalid_api_key and close 3000 in the same millisecond, whatever the key (Azure paths: HTTP 401).',
  ),
  openaiRefusal(
    'openai-missing-key',
    'missing_key',
    'OpenAI paths: 101, then error "Missing bearer or basic authentication in header" and close 3000 (Azure paths: HTTP 401).',
  ),
  openaiRefusal(
    'openai-bad-model',
    'invalid_model',
    'OpenAI paths: 101, then error invalid_model and close 4000 (Azure paths: HTTP 404 DeploymentNotFound).',
  ),
  openaiRefusal(
    'openai-missing-model',
    'missing_model',
    'OpenAI paths: 101, then error missing_model and close 4000 (Azure paths: HTTP 404 DeploymentNotFound).',
  ),
  openaiRefusal(
    'openai-beta-header',
    'beta_api_shape_disabled',
    'OpenAI paths: 101, then error beta_api_shape_disabled and close 4000, as for every beta request since May 2026 (Azure paths: served).',
  ),
  reject(401, 'The upgrade is refused with HTTP 401, whatever the key.'),
  reject(403, 'The upgrade is refused with HTTP 403 (on Azure: the network-rule 403, as reject-403-network).'),
  reject(429, 'The upgrade is refused with HTTP 429, retry-after (and on Azure retry-after-ms).'),
  reject(503, 'The upgrade is refused with HTTP 503.'),
  {
    name: 'gap-in-turn-2',
    description: 'Turn 2 only: 2 s of digital silence at 4 s of audio; turns 1 and 3+ are healthy.',
    delivery: BURSTY,
    turns: [{ faults: [] }, { faults: [{ kind: 'silent-gap', atMs: 4000, durationMs: 2000 }] }],
  },
  ...REASONING_SCENARIOS,
];

/** Built-in scenarios by name. */
export const BUILTIN_SCENARIOS: Readonly<Record<string, Scenario>> = Object.freeze(
  Object.fromEntries(list.map((s) => [s.name, s])),
);
