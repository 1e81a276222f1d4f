/**
 * What `realtime-canary validate` checks and prints, without I/O: for each configured target its endpoint,
 * flavour, transport, auth and secret (by setting name, never the value), prompts, turns and an estimate of what
 * one run uses; the problems that would stop the Function (each naming its field); and what cannot be checked
 * locally (Key Vault references, Entra tokens).
 */
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { DEFAULT_DETECTION_CONFIG } from '../analysis/config.js';
import { BYTES_PER_MS } from '../audio/wav.js';
import { ConfigError, InputError } from '../errors.js';
import { resolvePrompts, type PromptSpec } from '../probe/prompts.js';
import { resolveEndpoint, type ResolvedEndpoint } from '../realtime/flavours.js';
import { isKeyVaultReference, keyVaultReferences, type Env } from './settingsSource.js';

/** Output audio tokens per second of answer audio assumed by the estimate (gpt-realtime is close to 20). */
export const ESTIMATE_OUTPUT_AUDIO_TOKENS_PER_SECOND = 20;
/** Input audio tokens per second of prompt audio assumed by the estimate. */
export const ESTIMATE_INPUT_AUDIO_TOKENS_PER_SECOND = 10;

/** One run's expected usage. `usd` stays undefined until a price table is plugged in (see {@link estimateRunCost}). */
export interface RunEstimate {
  answerSeconds: number;
  promptSeconds: number;
  outputAudioTokens: number;
  inputAudioTokens: number;
  usd?: number;
}

/**
 * Hook for the cost estimator: what one run of a target is expected to use. Today it counts audio tokens from the
 * catalogue's expected answers (their length at the detection's default speaking rate) and the prompt audio; the
 * cost estimator replaces or extends this (prices, text tokens, the conversation context each turn re-sends).
 */
export function estimateRunCost(prompts: readonly PromptSpec[], turns: number, charsPerSecond = DEFAULT_DETECTION_CONFIG.speechCharsPerSecond): RunEstimate {
  let answerSeconds = 0;
  let promptSeconds = 0;
  for (let i = 0; i < turns; i++) {
    const p = prompts[i % prompts.length]!;
    answerSeconds += (p.answer ?? '').replace(/\s+/g, ' ').trim().length / charsPerSecond;
    promptSeconds += p.pcm.length / BYTES_PER_MS / 1000;
  }
  return {
    answerSeconds,
    promptSeconds,
    outputAudioTokens: Math.round(answerSeconds * ESTIMATE_OUTPUT_AUDIO_TOKENS_PER_SECOND),
    inputAudioTokens: Math.round(promptSeconds * ESTIMATE_INPUT_AUDIO_TOKENS_PER_SECOND),
  };
}

export interface TargetPlan {
  config: TargetConfig;
  endpoint: ResolvedEndpoint | undefined;
  transport: string;
  /** e.g. `api-key from app setting SIM_API_KEY (set)`; never the value. */
  auth: string;
  /** The secret could be read here (false for Key Vault references, missing settings, Entra). */
  secretResolved: boolean;
  prompts: PromptSpec[];
  turns: number;
  estimate: RunEstimate | undefined;
}

export interface Plan {
  targets: TargetPlan[];
  /** Would stop the Function or a target: each starts with the field it is about. */
  problems: string[];
  /** Not checkable here, or worth knowing. */
  notes: string[];
}

/** The transport a target uses: WebSocket unless the target names another (WebRTC targets). */
function transportOf(t: TargetConfig): string {
  const kind = (t as { transport?: unknown }).transport;
  return typeof kind === 'string' ? kind : 'websocket';
}

export interface PlanOptions {
  /** The secrets live elsewhere (a targets file checked before upload): a secret setting not set here is a note. */
  secretsElsewhere?: boolean;
}

export function buildPlan(settings: CanarySettings, targets: readonly TargetConfig[], env: Env, catalog: readonly PromptSpec[], source: string, options: PlanOptions = {}): Plan {
  const problems: string[] = [];
  const notes: string[] = [];
  const plans = targets.map((t, i): TargetPlan => {
    const at = `${source}[${i}]`;
    let endpoint: ResolvedEndpoint | undefined;
    try {
      endpoint = resolveEndpoint(t);
    } catch (err) {
      problems.push(err instanceof ConfigError ? `${at}.${err.message}` : `${at}: ${(err as Error).message}`);
    }
    const { auth, resolved } = authOf(t, env, at, options.secretsElsewhere ? notes : problems, notes);
    let prompts: PromptSpec[] = [];
    try {
      prompts = resolvePrompts(t.prompts ?? settings.prompts, catalog);
    } catch (err) {
      if (!(err instanceof ConfigError || err instanceof InputError)) throw err;
      problems.push(`${at}.prompts: ${err.message}`);
    }
    const turns = t.turns ?? settings.turns;
    const estimate = prompts.length ? estimateRunCost(prompts, turns, numberOr(settings.thresholds.speechCharsPerSecond, undefined)) : undefined;
    return { config: t, endpoint, transport: transportOf(t), auth, secretResolved: resolved, prompts, turns, estimate };
  });
  const groups = new Map<string, TargetConfig[]>();
  for (const t of targets) if (t.group) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  for (const [group, members] of groups) {
    const baselines = members.filter((m) => m.baseline).length;
    if (members.length > 1 && baselines === 0) notes.push(`group ${group}: no baseline target, so its targets are not compared`);
    if (baselines > 1) problems.push(`group ${group}: ${baselines} targets are marked baseline; mark one`);
  }
  return { targets: plans, problems, notes };
}

/** The target's auth in words; a missing secret goes to `missing` (the problems, or the notes for a file checked before upload). */
function authOf(t: TargetConfig, env: Env, at: string, missing: string[], notes: string[]): { auth: string; resolved: boolean } {
  if (t.auth === 'none') return { auth: 'none (no credentials sent)', resolved: true };
  if (t.auth === 'entra') {
    notes.push(`${t.name}: Entra ID token (scope ${t.scope ?? 'https://cognitiveservices.azure.com/.default'}) is fetched by the Function's identity at run time`);
    return { auth: 'Microsoft Entra ID', resolved: false };
  }
  const setting = t.secretSetting!;
  const value = env[setting]?.trim();
  if (!value) {
    missing.push(`${at}.secretSetting: app setting "${setting}" is not set or empty${missing === notes ? ' here (it must be an app setting or Key Vault reference of the Function app)' : ''}`);
    return { auth: `${t.auth} from app setting ${setting} (missing)`, resolved: false };
  }
  if (isKeyVaultReference(value)) {
    const [ref] = keyVaultReferences({ [setting]: value });
    notes.push(`${t.name}: ${setting} is a Key Vault reference (${ref!.secret}); it cannot be resolved locally — in Azure the app's identity needs "Key Vault Secrets User" on the vault`);
    return { auth: `${t.auth} from app setting ${setting} (Key Vault reference, not resolvable here)`, resolved: false };
  }
  return { auth: `${t.auth} from app setting ${setting} (set)`, resolved: true };
}

function numberOr(v: unknown, fallback: number | undefined): number | undefined {
  return typeof v === 'number' && v > 0 ? v : fallback;
}
