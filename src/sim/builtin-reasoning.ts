/**
 * Built-in scenarios of the reasoning generation and the failures reported in 2026 (issue 19; facts in
 * shared/reference/field-2026-12.md §1–2): phases, preambles, two generations, capacity and rate limits, the 2026
 * upgrade refusals, a retired model, an ignored output format, repeated audio, the session cap. Names are stable
 * (`--scenario`, `npm start`, the benchmarks). Reasoning scenarios force the reasoning profile, so they behave the
 * same whatever model the URL names (a `gpt-realtime-2.1` deployment gets that profile anyway).
 */
import type { Delivery, Fault, OpenAIRefusal, Scenario } from './scenario.js';

/** The real service's style: a burst of ~0.5 s of audio at a time, well faster than playback. */
export const BURSTY: Delivery = { speed: 4, burstMs: 500, jitterMs: 5 };

/** The pause of the healthy reasoning scenarios (issue 19's example: 1.5 s preamble, 2.8 s reasoning, the answer). */
export const DEMO_REASONING_MS = 2800;

function reasoning(name: string, description: string, ...faults: Fault[]): Scenario {
  return {
    name,
    description,
    profile: 'reasoning',
    reasoning: { preamble: true, reasoningMs: DEMO_REASONING_MS },
    delivery: BURSTY,
    ...(faults.length ? { turns: [{ faults }] } : {}),
  };
}

function turnOne(name: string, description: string, ...faults: Fault[]): Scenario {
  return { name, description, delivery: BURSTY, turns: [{ faults }] };
}

function refusal(name: string, kind: OpenAIRefusal, description: string): Scenario {
  return { name, description, refusal: kind };
}

export const REASONING_SCENARIOS: Scenario[] = [
  reasoning(
    'reasoning-healthy',
    'Healthy reasoning model (gpt-realtime-2.1): every turn speaks a commentary preamble, reasons 2.8 s in silence, ' +
      'then gives the final_answer; items carry phase.',
  ),
  {
    name: 'reasoning',
    description:
      'Reasoning model as the profile draws it: a preamble before longer reasoning only, pauses drawn per reasoning.effort (default low: 0.5-2 s).',
    profile: 'reasoning',
    delivery: BURSTY,
  },
  reasoning(
    'reasoning-gap',
    'Reasoning turn 1: preamble, 2.8 s of reasoning, then 2 s of digital silence at 4 s inside the final answer.',
    { kind: 'silent-gap', atMs: 4000, durationMs: 2000 },
  ),
  reasoning(
    'preamble-only',
    'Reasoning turn 1: the response speaks only its commentary preamble ("let me check...") and ends completed; no final answer.',
    { kind: 'preamble-only' },
  ),
  reasoning(
    'two-generations',
    'Reasoning turn 1: a preamble-only response, then 1.2 s after its response.done a second response.created (unasked) with the final answer.',
    { kind: 'second-generation', afterMs: 1200 },
  ),
  reasoning(
    'second-generation-silent',
    'Reasoning turn 1: as two-generations, but the second generation carries a transcript and no audio.',
    { kind: 'second-generation', afterMs: 1200, audio: false },
  ),
  turnOne(
    'capacity-unavailable',
    'Turn 1: response.done failed, inference_service_unavailable_error ("The server is overloaded or not ready yet"); input billed, no output.',
    { kind: 'capacity-failure' },
  ),
  turnOne(
    'rate-limit-rpm',
    'Turn 1: response.done failed, rate_limit_exceeded on requests per min (RPM), "Please try again in 2.5s"; nothing billed.',
    { kind: 'rate-limit', window: 'rpm' },
  ),
  turnOne(
    'rate-limit-rpd',
    'Turn 1: response.done failed, rate_limit_exceeded on requests per day (RPD), "Please try again in 1m26.4s"; nothing billed.',
    { kind: 'rate-limit', window: 'rpd' },
  ),
  {
    name: 'reject-403-suspended',
    description: 'The upgrade is refused with HTTP 403: "Your resource has been temporarily blocked..." (suspended).',
    upgrade: { status: 403, reason: 'suspended' },
  },
  {
    name: 'reject-403-network',
    description: 'The upgrade is refused with HTTP 403: "Access denied due to Virtual Network/Firewall rules."',
    upgrade: { status: 403, reason: 'network' },
  },
  refusal(
    'reject-400-operation-not-supported',
    'model_cannot_realtime',
    "A model that cannot do realtime. Azure paths: HTTP 400 OpperationNotSupported (Azure's spelling); OpenAI paths: 101, error invalid_model, close 4000.",
  ),
  refusal(
    'model-retired',
    'model_not_found',
    'A retired model. OpenAI paths: 101, error model_not_found ("has been deprecated"), close 4000; Azure paths: HTTP 404 Resource not found.',
  ),
  {
    name: 'pcmu-ignored',
    description:
      'Every turn: a requested G.711 output (audio/pcmu, audio/pcma) is echoed as accepted, but PCM16 24 kHz is sent (6x the bytes).',
    delivery: BURSTY,
    everyTurn: [{ kind: 'ignore-output-format' }],
  },
  turnOne('repeated-audio', 'Turn 1: every fifth audio delta is sent twice, byte-identical; usage counts it once.', {
    kind: 'repeat-deltas',
    every: 5,
  }),
  {
    name: 'session-max-duration',
    description:
      "The session hits the maximum duration after 4 s (the service's 60 minutes, cut short): error session_expired, " +
      'then close 1001 "Your session hit the maximum duration of 60 minutes."',
    delivery: BURSTY,
    maxSessionMs: 4000,
  },
];
