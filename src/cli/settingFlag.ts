/**
 * The `probe` flag that fixes a run's configuration problem — the command line's counterpart of the round's
 * target setting (../runner/settingToFix.ts): `--api-key-env AZURE_OPENAI_KEY`, `--scope … (Entra ID)`,
 * `--deployment gpt-realtime`. Names only, never a secret value.
 */
import type { TargetSetting } from '../analysis/problems.js';
import { DEFAULT_ENTRA_SCOPE } from '../realtime/auth.js';
import type { TargetFlags } from './targetFromFlags.js';

/** The auth flag in use, as typed. */
function authFlag(f: TargetFlags): string {
  if (f['api-key-env']) return `--api-key-env ${f['api-key-env']}`;
  if (f['bearer-env']) return `--bearer-env ${f['bearer-env']}`;
  if (f.entra) return `--entra --scope ${f.scope ?? DEFAULT_ENTRA_SCOPE}`;
  return '--no-auth';
}

/** `setting` as the flags of this probe name it. */
export function settingFlag(f: TargetFlags, setting: TargetSetting): string {
  switch (setting) {
    case 'credential':
      return f.entra ? `--scope ${f.scope ?? DEFAULT_ENTRA_SCOPE} (Entra ID)` : authFlag(f);
    case 'auth':
      return `${authFlag(f)} (try --entra)`;
    case 'deployment':
      return f.deployment ? `--deployment ${f.deployment}` : '--endpoint (the model named in it)';
    case 'endpoint':
      return f.resource ? `--resource ${f.resource}` : '--endpoint';
    case 'flavour':
      return f.flavour ? `--flavour ${f.flavour}` : '--flavour (inferred from the endpoint path)';
    case 'prompts':
      return '--prompt';
    case 'turns':
      return '--turns (or --session-timeout-ms)';
  }
}
