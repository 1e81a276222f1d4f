/**
 * What `realtime-canary validate` checks and prints, without I/O: for each configured target its endpoint,
 * flavour, transport, auth and secret (by setting name, never the value), prompts and turns; the problems that
 * would stop the Function (each naming its field); and what cannot be checked locally (Key Vault references,
 * Entra tokens). What a run uses is the cost projection's (../cost/projection.ts), printed by the command.
 */
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { ConfigError, InputError } from '../errors.js';
import { resolvePrompts, type PromptSpec } from '../prompts/catalog.js';
import { DEFAULT_ENTRA_SCOPE } from '../realtime/auth.js';
import { resolveEndpoint, type ResolvedEndpoint } from '../realtime/flavours.js';
import { isKeyVaultReference, keyVaultReferences, type Env } from './settingsSource.js';

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

export function buildPlan(
  settings: CanarySettings,
  targets: readonly TargetConfig[],
  env: Env,
  catalog: readonly PromptSpec[],
  source: string,
  options: PlanOptions = {},
): Plan {
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
    return { config: t, endpoint, transport: transportOf(t), auth, secretResolved: resolved, prompts, turns };
  });
  const groups = new Map<string, TargetConfig[]>();
  for (const t of targets) if (t.group) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  for (const [group, members] of groups) {
    const baselines = members.filter((m) => m.baseline).length;
    if (members.length > 1 && baselines === 0)
      notes.push(`group ${group}: no baseline target, so its targets are not compared`);
    if (baselines > 1) problems.push(`group ${group}: ${baselines} targets are marked baseline; mark one`);
  }
  return { targets: plans, problems, notes };
}

/** The target's auth in words; a missing secret goes to `missing` (the problems, or the notes for a file checked before upload). */
function authOf(
  t: TargetConfig,
  env: Env,
  at: string,
  missing: string[],
  notes: string[],
): { auth: string; resolved: boolean } {
  if (t.auth === 'none') return { auth: 'none (no credentials sent)', resolved: true };
  if (t.auth === 'entra') {
    notes.push(
      `${t.name}: Entra ID token (scope ${t.scope ?? DEFAULT_ENTRA_SCOPE}) is fetched by the Function's identity at run time`,
    );
    return { auth: 'Microsoft Entra ID', resolved: false };
  }
  const setting = t.secretSetting!;
  const value = env[setting]?.trim();
  if (!value) {
    missing.push(
      `${at}.secretSetting: app setting "${setting}" is not set or ` +
        `empty${missing === notes ? ' here (it must be an app setting or Key Vault reference of the Function app)' : ''}`,
    );
    return { auth: `${t.auth} from app setting ${setting} (missing)`, resolved: false };
  }
  if (isKeyVaultReference(value)) {
    const [ref] = keyVaultReferences({ [setting]: value });
    notes.push(
      `${t.name}: ${setting} is a Key Vault reference (${ref!.secret}); it cannot be resolved locally — in Azure ` +
        `the app's identity needs "Key Vault Secrets User" on the vault`,
    );
    return {
      auth: `${t.auth} from app setting ${setting} (Key Vault reference, not resolvable here)`,
      resolved: false,
    };
  }
  return { auth: `${t.auth} from app setting ${setting} (set)`, resolved: true };
}
