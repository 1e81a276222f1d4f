/**
 * The built-in Realtime simulator: a local WebSocket server that speaks all four flavours (Azure GA,
 * Azure preview, OpenAI GA, OpenAI beta) at their real paths, with deterministic, per-turn fault injection.
 * See src/sim/README.md.
 */
export { startSimulator, type RunningSimulator, type SimulatorOptions } from './server.js';
export { BUILTIN_SCENARIOS } from './builtin-scenarios.js';
export { scenarioFromJson, validateScenario, faultsForTurn, type Scenario, type TurnPlan, type Fault, type FaultKind, type Delivery, type UpgradeReject } from './scenario.js';
export { AUDIO_TOKENS_PER_SECOND } from './payloads.js';
export { createAnswerBook, DEFAULT_ANSWER, type Answer, type AnswerBook } from './answers.js';
export { speak, type SpokenAnswer, type SpokenToken } from './speech.js';
export { planResponse, type ResponsePlan, type Step } from './response-plan.js';
export type { ServerSendObserver } from './connection.js';
