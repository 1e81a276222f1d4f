/**
 * The settings the operator commands (`validate`, `test-alert`) read, exactly as the Function would see them: the
 * environment, plus the `Values` of a `local.settings.json` (`--settings FILE`) for every setting the environment
 * does not already set (what `func start` does: it skips local settings already defined in the environment). Key Vault
 * references (`@Microsoft.KeyVault(...)`) are resolved only in Azure; they are listed by setting
 * and secret name so the operator knows what could not be checked here. No value is ever printed: the secrets a
 * file holds are scrubbed from everything printed from then on (./printed.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { isRecord, jsonSyntax } from '../json.js';
import { envSecrets } from '../config/secrets.js';
import { fieldOf } from '../config/shown.js';
import { knowSecrets } from './printed.js';

export type Env = Record<string, string | undefined>;

/** The environment plus the file's `Values` where the environment has no (or an empty) value. */
export function operatorEnv(settingsFile: string | undefined, env: Env = process.env): Env {
  if (!settingsFile) return { ...env };
  const path = resolve(settingsFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new InputError(
      settingsFile,
      code === 'ENOENT'
        ? 'does not exist'
        : err instanceof SyntaxError
          ? `is not valid JSON (${jsonSyntax(err)})`
          : `cannot be read (${String(code ?? (err as Error).message)})`,
    );
  }
  const values = parsed !== null && typeof parsed === 'object' ? (parsed as { Values?: unknown }).Values : undefined;
  if (!isRecord(values))
    throw new InputError(settingsFile, 'has no "Values" object (the shape of local.settings.json)');
  if ((parsed as { IsEncrypted?: unknown }).IsEncrypted === true)
    throw new InputError(
      settingsFile,
      'is encrypted (IsEncrypted: true); decrypt it with "func settings decrypt" first',
    );
  const out: Env = { ...env };
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    if (typeof value !== 'string') throw new InputError(settingsFile, `${fieldOf('Values', name)} must be a string`);
    if (!out[name]) out[name] = value;
  }
  knowSecrets(envSecrets(out));
  return out;
}

/** A setting whose value is a Key Vault reference, with the secret it names (names are not secrets). */
export interface KeyVaultReference {
  setting: string;
  /** e.g. `canary-kv/aoai-sweden-key`, or `unparsed reference` when the syntax is not recognised. */
  secret: string;
}

const KV_PREFIX = '@Microsoft.KeyVault(';

export function isKeyVaultReference(value: string | undefined): boolean {
  return value?.trim().startsWith(KV_PREFIX) ?? false;
}

/** The Key Vault references among the given settings (all of them by default). */
export function keyVaultReferences(env: Env, names: readonly string[] = Object.keys(env)): KeyVaultReference[] {
  return names
    .filter((n) => isKeyVaultReference(env[n]))
    .map((setting) => ({ setting, secret: referencedSecret(env[setting]!.trim()) }));
}

function referencedSecret(ref: string): string {
  const inner = ref.slice(KV_PREFIX.length, ref.endsWith(')') ? -1 : undefined);
  const uri = /SecretUri=https:\/\/([^./]+)\.vault\.[^/]+\/secrets\/([^/;)]+)/i.exec(inner);
  if (uri) return `${uri[1]}/${uri[2]}`;
  const vault = /VaultName=([^;]+)/i.exec(inner)?.[1];
  const name = /SecretName=([^;]+)/i.exec(inner)?.[1];
  return vault && name ? `${vault.trim()}/${name.trim()}` : 'unparsed reference';
}

/** The host of a URL, for messages that must not show the URL itself (webhook URLs carry a signature). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || 'an unnamed host';
  } catch {
    return 'an unparsable URL';
  }
}
