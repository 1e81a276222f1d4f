/**
 * The built-in Realtime simulator: a local WebSocket server that serves every flavour at its real path as the
 * 2026 service does (OpenAI's beta refused after the 101, Azure preview in the beta dialect), with deterministic,
 * per-turn fault injection.
 * See src/sim/README.md.
 */
export { startSimulator, type RunningSimulator, type SimulatorOptions } from './server.js';
export { BUILTIN_SCENARIOS } from './builtin-scenarios.js';
export { scenarioFromJson, validateScenario } from './scenario-json.js';
export {
  faultsForTurn,
  CLOSE_CODES,
  OPENAI_REFUSALS,
  type Scenario,
  type TurnPlan,
  type Fault,
  type FaultKind,
  type Delivery,
  type UpgradeReject,
  type OpenAIRefusal,
} from './scenario.js';
// The simulator's usage accounting reads the one rates table; its names here are kept for existing importers.
export {
  /** @deprecated the output rate; use OUTPUT_AUDIO_TOKENS_PER_SECOND / INPUT_AUDIO_TOKENS_PER_SECOND. */
  OUTPUT_AUDIO_TOKENS_PER_S as AUDIO_TOKENS_PER_SECOND,
  OUTPUT_AUDIO_TOKENS_PER_S as OUTPUT_AUDIO_TOKENS_PER_SECOND,
  INPUT_AUDIO_TOKENS_PER_S as INPUT_AUDIO_TOKENS_PER_SECOND,
  AUDIO_TOKEN_OVERHEAD_PER_ITEM,
} from '../cost/rates.js';
export { DEFAULT_DELTA_MS } from './response-plan.js';
export { DEFAULT_PING_INTERVAL_MS } from './server.js';
export { createAnswerBook, DEFAULT_ANSWER, type Answer, type AnswerBook } from './answers.js';
export { speak, type SpokenAnswer, type SpokenToken } from './speech.js';
export { planResponse, type ResponsePlan, type Step } from './response-plan.js';
export type { ServerSendObserver } from './connection.js';
export {
  profileOf,
  PROFILE_NAMES,
  PREAMBLES,
  REASONING_EFFORTS,
  REASONING_PAUSE_MS,
  DEFAULT_REASONING_EFFORT,
  type ProfileName,
  type ReasoningEffort,
} from './profiles.js';
export { DEMO_REASONING_MS } from './builtin-reasoning.js';
export type { Phase } from './payloads.js';
