/**
 * The kinds of problem a run that did not pass can be, and the one table of their words: which category each is
 * (a service `incident`, a `configuration` problem of the canary, or `capacity` — quota or no capacity, transient),
 * what happened, what to do, and which setting of the target fixes it. Every surface (CLI, report.html,
 * evidence.zip, cards, JSON payloads, the dashboard) prints these words from report.json's `problem`
 * (./category.ts builds it), so they never disagree.
 */
import { limitWords, type RateLimitKind } from './throttle.js';

/** What kind of problem a non-passing run is (report.json `problem.category`, RunSummary.category). */
export type RunCategory = 'incident' | 'configuration' | 'capacity';

/**
 * Where a configuration problem is fixed. `credential`: the target's `secretSetting` (a key or token), or with Entra
 * ID its `scope` and the identity's role; the surface that knows how the target authenticates says which.
 */
export type TargetSetting = 'credential' | 'auth' | 'deployment' | 'endpoint' | 'flavour' | 'prompts' | 'turns';

/** Each setting as an operator finds it in a target's configuration (the round names the actual one). */
export const SETTING_WORDS: Readonly<Record<TargetSetting, string>> = {
  credential: 'secretSetting (with Entra ID: scope, and the identity)',
  auth: 'auth',
  deployment: 'deployment (or the model in the endpoint)',
  endpoint: 'endpoint',
  flavour: 'flavour',
  prompts: 'prompts (or CANARY_PROMPTS)',
  turns: 'turns (or CANARY_TURNS)',
};

export const PROBLEM_KINDS = [
  'rate-limited',
  'capacity-unavailable',
  'auth',
  'no-token',
  'role',
  'suspended',
  'network',
  'private-endpoint',
  'key-auth-disabled',
  'forbidden',
  'model-capability',
  'bad-request',
  'not-found',
  'model-retired',
  'redirect',
  'beta-retired',
  'unreachable',
  'handshake',
  'output-cap',
  'session-length',
  'target-settings',
  'service',
] as const;

export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** The classification of a run that did not pass (report.json `problem`). */
export interface RunProblem {
  category: RunCategory;
  kind: ProblemKind;
  /** What happened, as a clause without a full stop ("the canary could not authenticate to x.openai.azure.com"). */
  what: string;
  /** What to do, for configuration and capacity problems (an incident is the service's). */
  advice?: string;
  /** The target setting a configuration problem is fixed in. */
  setting?: TargetSetting;
  /**
   * The setting as the run's configuration names it — "the target's secretSetting AZURE_KEY_SWEDEN" (the round),
   * "--api-key-env AZURE_OPENAI_KEY" (the probe command); names only, never a secret.
   */
  settingValue?: string;
  /** Capacity: how long the service asked to wait (`retry-after-ms`, `Retry-After`, "try again in …"), ms. */
  retryAfterMs?: number;
  /** Rate limits: which limit, when the service's message says. */
  limit?: RateLimitKind;
}

/** Where the problem was: the target's host and its deployment (or model), when it has one. */
export interface ProblemPlace {
  host: string;
  deployment?: string | undefined;
}

interface KindWords {
  category: RunCategory;
  setting?: TargetSetting;
  what: (host: string, deployment: string) => string;
  advice?: string;
}

/** What every capacity problem says first (cards of older summaries too). */
export const CAPACITY_ADVICE = 'Capacity/quota, not an outage: retry, raise the quota or move region.';

/** The words of every kind, in one table: the compiler insists on a row for a new kind. */
export const PROBLEM_WORDS: Readonly<Record<ProblemKind, KindWords>> = {
  'rate-limited': { category: 'capacity', what: (h) => `rate limited by ${h}`, advice: CAPACITY_ADVICE },
  'capacity-unavailable': {
    category: 'capacity',
    what: (h) => `no capacity at ${h} (the service is overloaded or not ready)`,
    advice: `${CAPACITY_ADVICE} It is transient; sibling deployments in the same region tell a regional shortage from this one.`,
  },
  auth: {
    category: 'configuration',
    setting: 'credential',
    what: (h) => `the canary could not authenticate to ${h}`,
    // With Entra ID the analysis adds the scope the token was requested for and the other to try (./entraScope.ts).
    advice:
      "The key or token was refused: rotate the key in the app setting (or Key Vault secret) the target's " +
      "secretSetting names; with Entra ID, check the token's scope and the identity's role.",
  },
  'no-token': {
    category: 'configuration',
    setting: 'credential',
    what: (h) => `the canary could not get a token for ${h}`,
    advice:
      "No credential was sent: check the canary's identity (the Function's managed identity, or az login where it " +
      "runs) and the target's scope, or the app setting its secretSetting names.",
  },
  role: {
    category: 'configuration',
    what: (h) => `the canary's identity lacks the data-plane role on ${h}`,
    advice:
      'The token was accepted but its identity may not use the deployment: assign it the "Cognitive Services OpenAI ' +
      'User" role on the resource (it takes a few minutes to apply).',
  },
  suspended: {
    category: 'configuration',
    what: (h) => `the resource behind ${h} is suspended (“temporarily blocked”)`,
    advice:
      "Azure blocked the resource (abuse or billing): its owner must resolve it with Microsoft (the resource's " +
      'Activity log and Service Health say why). Probing again cannot fix it; it is not a service outage.',
  },
  network: {
    category: 'configuration',
    what: (h) => `a network rule of ${h} denies the canary`,
    advice:
      "Allow the canary's outbound addresses (or its VNet and subnet) in the resource's Networking firewall rules.",
  },
  'private-endpoint': {
    category: 'configuration',
    what: (h) => `${h} accepts connections only through its private endpoint`,
    advice:
      'Public access is disabled: run the canary in the VNet of the private endpoint (with its private DNS zone), or ' +
      "allow public access from the canary's addresses.",
  },
  'key-auth-disabled': {
    category: 'configuration',
    setting: 'auth',
    what: (h) => `${h} does not accept keys (key authentication is disabled)`,
    advice:
      'Set the target\'s auth to "entra" and give the canary\'s identity the "Cognitive Services OpenAI User" role on the resource.',
  },
  forbidden: {
    category: 'configuration',
    what: (h) => `the canary is not allowed to use ${h}`,
    advice:
      "HTTP 403 without a reason the canary recognises: check the identity's role assignment, the resource's network " +
      'rules and private endpoints, and whether the resource is suspended.',
  },
  'model-capability': {
    category: 'configuration',
    setting: 'deployment',
    what: (h, d) => `the deployment${d} at ${h} cannot do realtime`,
    advice:
      'The model behind the deployment does not support the realtime operation (a transcription-only model, for ' +
      "one): point the target's deployment at a realtime model (gpt-realtime-2.1, gpt-realtime-2.1-mini, …).",
  },
  'bad-request': {
    category: 'configuration',
    setting: 'endpoint',
    what: (h) => `${h} refused the request as malformed`,
    advice:
      "Check the target's endpoint path and query (a GA endpoint refuses an api-version; a preview one needs it) and its flavour.",
  },
  'not-found': {
    category: 'configuration',
    setting: 'deployment',
    what: (h, d) => `the canary could not find the deployment or model${d} at ${h}`,
    advice: "Check the target's deployment (or model) name, the endpoint path and the api-version.",
  },
  'model-retired': {
    category: 'configuration',
    setting: 'deployment',
    what: (h, d) => `the model${d} at ${h} was retired`,
    advice:
      "A retired model does not come back: move the deployment to a current model and point the target's " +
      'deployment at it.',
  },
  redirect: {
    category: 'configuration',
    setting: 'endpoint',
    what: (h) => `${h} answered the upgrade with a redirect`,
    advice: "Put the final wss:// address in the target's endpoint.",
  },
  'beta-retired': {
    category: 'configuration',
    setting: 'flavour',
    what: (h) => `the target uses the retired beta interface of ${h}`,
    advice: "OpenAI turned off the beta Realtime interface in May 2026: set the target's flavour to openai-ga.",
  },
  unreachable: {
    category: 'configuration',
    setting: 'endpoint',
    what: (h) => `the canary could not reach ${h}`,
    advice: "Check the target's endpoint (host and port) and the canary's outbound network (VNet, NSG, proxy).",
  },
  handshake: {
    category: 'configuration',
    setting: 'endpoint',
    what: (h) => `the WebSocket handshake with ${h} was invalid`,
    advice: "Check the target's endpoint, or a proxy in between that answers the upgrade itself.",
  },
  'output-cap': {
    category: 'configuration',
    setting: 'prompts',
    what: () => "the prompts' answers are longer than the deployment's output cap",
    advice:
      "Shorten the answers the prompts ask for (the target's prompts, or CANARY_PROMPTS) or raise the deployment's output cap; nothing is down.",
  },
  'session-length': {
    category: 'configuration',
    setting: 'turns',
    what: (h) => `the session reached the maximum duration ${h} allows`,
    advice:
      "The canary's session is as long as the service allows (Azure about 30 minutes, OpenAI 60): use fewer turns " +
      "(the target's turns, or CANARY_TURNS) or a lower CANARY_SESSION_TIMEOUT_MS.",
  },
  'target-settings': {
    category: 'configuration',
    what: (h) => `the canary's settings for ${h} cannot be used`,
  },
  service: { category: 'incident', what: (h) => `${h} misbehaved` },
};

/** A problem of `kind` at `place`, with the table's words; `extra` adds to the advice and sets the rest. */
export function problemOf(kind: ProblemKind, place: ProblemPlace, extra: Partial<RunProblem> = {}): RunProblem {
  const w = PROBLEM_WORDS[kind];
  const advice = [w.advice, extra.advice].filter(Boolean).join(' ');
  return {
    category: w.category,
    kind,
    what: w.what(place.host, place.deployment ? ` “${place.deployment}”` : ''),
    ...(w.setting ? { setting: w.setting } : {}),
    ...extra,
    ...(advice ? { advice } : {}),
  };
}

/** What to do about a rate limit, by the limit its message named (undefined when it named none). */
export function rateLimitAdvice(limit: RateLimitKind | undefined): string | undefined {
  if (limit === 'RPD' || limit === 'TPD')
    return (
      `The day's ${limitWords(limit)} quota is spent: every probe fails until it resets. Each canary session is one ` +
      "request, and rate_limits.updated never shows the request budget: raise the daily limit (the organisation's " +
      'usage tier) or probe less often.'
    );
  if (limit === 'RPM' || limit === 'TPM')
    return `The ${limitWords(limit)} quota ran out: raise the deployment's quota or spread the probes out.`;
  return undefined;
}
