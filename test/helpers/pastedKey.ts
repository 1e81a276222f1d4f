/**
 * A key pasted into the wrong setting, for every setting src/config/ parses: the names are read from the source
 * (so a setting added there is tested without being listed here), and each setting gets the key as its whole
 * value — folders get a folder named after it — plus, for the JSON settings, the key as a JSON key, a JSON value,
 * a target's name, group, field or prompt. The env of each case is a valid configuration with the key also in
 * its right place (`AOAI_KEY`, the target's secret), as when a user pastes the key they just set into one more box.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CONFIG_DIR = join(import.meta.dirname, '../../src/config');

/** Every app setting named in src/config/*.ts. */
export function configSettingNames(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.ts')))
    for (const m of readFileSync(join(CONFIG_DIR, file), 'utf8').matchAll(
      /\b(?:CANARY|APPLICATIONINSIGHTS|AZURE|WEBSITE)_[A-Z0-9_]+\b/g,
    ))
      names.add(m[0]);
  return [...names].sort();
}

export interface PastedKeyCase {
  /** e.g. `CANARY_TURNS`, `CANARY_THRESHOLDS key`. */
  label: string;
  setting: string;
  env: Record<string, string>;
}

/** A target on a closed loopback port (the round ends fast), authenticated with the key in AOAI_KEY. */
export function closedTarget(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'target-1',
    endpoint: 'ws://127.0.0.1:9/openai/v1/realtime?model=gpt-realtime',
    auth: 'api-key',
    secretSetting: 'AOAI_KEY',
    ...over,
  };
}

/** The cases for `key`; `base` is a valid configuration (with CANARY_OUTPUT_DIR under `dir`). */
export function pastedKeyCases(key: string, dir: string, base: Record<string, string>): PastedKeyCase[] {
  const env = (setting: string, value: string): Record<string, string> => ({
    ...base,
    AOAI_KEY: key,
    [setting]: value,
  });
  const price = { textIn: 1, cachedTextIn: 1, textOut: 1, audioIn: 1, cachedAudioIn: 1, audioOut: 1 };
  const targets = (t: Record<string, unknown>): string => JSON.stringify([closedTarget(t)]);
  const cases: PastedKeyCase[] = configSettingNames().map((setting) => ({
    label: setting,
    setting,
    env: env(setting, /_DIR$/.test(setting) ? join(dir, key) : key),
  }));
  const json: [string, string, string][] = [
    ['CANARY_THRESHOLDS key', 'CANARY_THRESHOLDS', JSON.stringify({ [key]: 1 })],
    ['CANARY_THRESHOLDS value', 'CANARY_THRESHOLDS', JSON.stringify({ stallMinMs: key })],
    ['CANARY_THRESHOLDS not JSON', 'CANARY_THRESHOLDS', `{"stallMinMs": ${key}}`],
    ['CANARY_PRICES model', 'CANARY_PRICES', JSON.stringify({ [key]: { ...price, textIn: 'x' } })],
    ['CANARY_PRICES value', 'CANARY_PRICES', JSON.stringify({ 'gpt-realtime': { ...price, textIn: key } })],
    ['CANARY_TARGETS not JSON', 'CANARY_TARGETS', `[{"name": ${key}}]`],
    ['CANARY_TARGETS name', 'CANARY_TARGETS', targets({ name: key })],
    ['CANARY_TARGETS name with the key inside', 'CANARY_TARGETS', targets({ name: `eu-${key}` })],
    ['CANARY_TARGETS group', 'CANARY_TARGETS', targets({ group: key })],
    ['CANARY_TARGETS field', 'CANARY_TARGETS', targets({ [key]: true })],
    ['CANARY_TARGETS prompt', 'CANARY_TARGETS', targets({ prompts: [key] })],
    ['CANARY_TARGETS secretSetting', 'CANARY_TARGETS', targets({ secretSetting: key })],
  ];
  for (const [label, setting, value] of json) cases.push({ label, setting, env: env(setting, value) });
  return cases;
}
