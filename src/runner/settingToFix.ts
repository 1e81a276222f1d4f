/**
 * The setting that fixes a run's configuration problem, named as the target's configuration names it — the
 * analysis knows which setting (report.json `problem.setting`), the round knows the target: `secretSetting
 * AZURE_KEY_SWEDEN`, `scope https://…/.default (Entra ID)`, `deployment "gpt-realtime"`. Names only, never a value
 * that is a secret. Pure.
 */
import type { Report } from '../analysis/report.js';
import type { TargetSetting } from '../analysis/problems.js';
import type { TargetConfig } from '../config/targets.js';
import { DEFAULT_ENTRA_SCOPE } from '../realtime/auth.js';

/** `setting` of `cfg` in words ("the target's secretSetting AZURE_KEY"); `host` stands in for an endpoint (whose query may carry a secret). */
export function settingOfTarget(cfg: TargetConfig, setting: TargetSetting, host: string): string {
  return `the target's ${settingWords(cfg, setting, host)}`;
}

function settingWords(cfg: TargetConfig, setting: TargetSetting, host: string): string {
  switch (setting) {
    case 'credential':
      // a 401 with Entra ID: the scope that was used; the analysis advice names the other one to try (entraScope.ts)
      if (cfg.auth === 'entra') return `scope ${cfg.scope ?? DEFAULT_ENTRA_SCOPE} (Entra ID)`;
      return cfg.secretSetting ? `secretSetting ${cfg.secretSetting}` : `auth "${cfg.auth}"`;
    case 'auth':
      return `auth "${cfg.auth}"`;
    case 'deployment':
      return cfg.deployment ? `deployment "${cfg.deployment}"` : `endpoint (the model named in it, at ${host})`;
    case 'endpoint':
      return cfg.resource ? `resource "${cfg.resource}"` : `endpoint (${host})`;
    case 'flavour':
      return cfg.flavour ? `flavour "${cfg.flavour}"` : 'flavour (inferred from the endpoint path)';
    case 'prompts':
      return cfg.prompts ? `prompts ${cfg.prompts.join(', ')}` : 'CANARY_PROMPTS';
    case 'turns':
      return cfg.turns !== undefined ? `turns ${cfg.turns}` : 'CANARY_TURNS';
  }
}

/** `report` with its problem's setting named for `cfg` (unchanged when there is none). */
export function withSettingToFix(report: Report, cfg: TargetConfig): Report {
  const p = report.problem;
  if (!p?.setting) return report;
  return { ...report, problem: { ...p, settingValue: settingOfTarget(cfg, p.setting, report.target.host) } };
}
