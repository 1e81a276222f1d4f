/**
 * The secrets a configuration holds (src/config/secrets.ts), which every exit scrubs: secret-named settings and
 * the settings targets name, with the secrets inside them (a webhook's signature, an account key), never a Key
 * Vault reference or a trivial value.
 */
import { describe, expect, it } from 'vitest';
import { envSecrets, settingSecrets } from '../../src/config/secrets.js';
import { loadSettings } from '../../src/config/settings.js';

const SIG = 'Xy7-ab_CD9efGHij0KLmnOPqr1STuvWXyz2ABcdEFgh3';
const HOOK = `https://contoso.webhook.office.com/workflows/1?api-version=1&sp=%2Ftriggers&sv=1.0&sig=${SIG}`;
const ACCOUNT_KEY = 'Zm9vYmFyYmF6cXV4cXV1eGZvb2Jhcg==';
const STORAGE = `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`;

describe('the secrets of a configuration', () => {
  it('secret-named settings with the secrets inside them; no reference, flag or number', () => {
    const found = envSecrets({
      CANARY_WEBHOOK_URL: HOOK,
      CANARY_STORAGE_CONNECTION_STRING: STORAGE,
      AOAI_KEY_SWEDEN: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/aoai/)',
      OTHER_TOKEN: 'true',
      API_KEY_PORT: '8080',
      CANARY_TURNS: '3',
    });
    expect(found.sort()).toEqual([ACCOUNT_KEY, HOOK, SIG, STORAGE].sort());
    // the signature's neighbours in the URL (api-version, sp, sv) are not secrets
    expect(found).not.toContain('1.0');
  });

  it("the setting a target names, whatever its name, and the settings' own secrets", () => {
    const env = {
      GATEWAY_CRED: 'gw7Qm2Xr9Lp4Vt8Kc3Nb6Hd1Zs',
      UNRELATED: 'not-a-secret-at-all',
      CANARY_OUTPUT_DIR: '/tmp/rc-secrets',
      CANARY_WEBHOOK_URL: HOOK,
      CANARY_TARGETS: JSON.stringify([
        { name: 't', endpoint: 'ws://127.0.0.1:9/openai/v1/realtime', auth: 'api-key', secretSetting: 'GATEWAY_CRED' },
      ]),
    };
    const found = settingSecrets(loadSettings(env), env);
    expect(found).toEqual(expect.arrayContaining(['gw7Qm2Xr9Lp4Vt8Kc3Nb6Hd1Zs', HOOK, SIG]));
    expect(found).not.toContain('not-a-secret-at-all');
    // without the environment, what the settings hold themselves
    expect(settingSecrets(loadSettings(env))).toEqual(expect.arrayContaining([HOOK, SIG]));
  });
});
