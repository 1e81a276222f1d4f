/**
 * `realtime-canary validate` as an operator runs it (the built CLI in a child process): settings from the
 * environment or a local.settings.json, targets inline or from CANARY_CONFIG_BLOB in a local folder store, the plan
 * (targets, flavour, transport, next runs, prompts, turns, tokens), Key Vault references named as not resolvable,
 * problems named with exit 2, `--connect` against the simulator, and no secret in any output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { nextRuns } from '../../src/config/scheduleTimes.js';
import { loadSettings } from '../../src/config/settings.js';
import { projectSettings } from '../../src/cost/settingsProjection.js';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { runCli } from './cliRun.js';

const KEY = 'sim-validate-SECRET-5f4e3d2c1b';
const KV = '@Microsoft.KeyVault(SecretUri=https://canary-kv.vault.azure.net/secrets/aoai-sweden-key/)';
let sim: RunningSimulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'rc-validate-'));
});
afterAll(async () => sim?.close());

/** A clean environment: only what the test sets (plus PATH etc. from the parent, none of it CANARY_*). */
const base = (): Record<string, string | undefined> => ({
  CANARY_TARGETS: undefined,
  CANARY_CONFIG_BLOB: undefined,
  CANARY_WEBHOOK_URL: undefined,
  CANARY_OUTPUT_DIR: join(dir, 'out'),
});

function targets(): string {
  return JSON.stringify([
    { name: 'sim-ga', endpoint: sim.url('azure-ga'), auth: 'api-key', secretSetting: 'SIM_KEY', group: 'g' },
    {
      name: 'sim-openai',
      endpoint: sim.url('openai-ga'),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
      group: 'g',
      baseline: true,
      prompts: ['nato-alphabet'],
      turns: 2,
    },
    {
      name: 'aoai-sweden',
      resource: 'canary-swe',
      deployment: 'gpt-realtime',
      auth: 'api-key',
      secretSetting: 'AOAI_SWEDEN_KEY',
    },
  ]);
}

async function settingsFile(values: Record<string, string>): Promise<string> {
  const path = join(dir, `local.settings.${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify({ IsEncrypted: false, Values: values }));
  return path;
}

describe('realtime-canary validate', () => {
  it('prints the plan from a local.settings.json, names Key Vault references, and exits 0', async () => {
    const file = await settingsFile({
      CANARY_TARGETS: targets(),
      SIM_KEY: KEY,
      AOAI_SWEDEN_KEY: KV,
      CANARY_SCHEDULE: '0 */5 * * * *',
      CANARY_TURNS: '3',
      CANARY_WEBHOOK_URL: KV,
    });
    const r = await runCli(['validate', '--settings', file], base());
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('targets (CANARY_TARGETS): 3');
    expect(r.out).toMatch(
      /sim-ga \(group g\)\n\s+endpoint:\s+ws:\/\/127\.0\.0\.1:\d+\/openai\/v1\/realtime\?model=gpt-realtime — azure-ga, ga dialect\n\s+transport: websocket/,
    );
    expect(r.out).toMatch(/sim-openai \(group g, baseline\)[\s\S]*?prompts:\s+nato-alphabet; 2 turn\(s\)/);
    expect(r.out).toMatch(
      /aoai-sweden\n\s+endpoint:\s+wss:\/\/canary-swe\.openai\.azure\.com\/openai\/v1\/realtime\?model=gpt-realtime/,
    );
    expect(r.out).toMatch(/count-to-twenty, nato-alphabet, days-of-week; 3 turn\(s\)/);
    const runs = /next runs (\S+), (\S+), (\S+)/
      .exec(r.out)!
      .slice(1)
      .map((t) => Date.parse(t));
    expect(runs[1]! - runs[0]!).toBe(300_000);
    expect(runs[2]! - runs[1]!).toBe(300_000);
    expect(new Date(runs[0]!).getUTCMinutes() % 5).toBe(0);
    // each target's per-run line is the cost projection's row: one estimate, whichever command prints it
    const projected = projectSettings(
      loadSettings({ CANARY_TARGETS: targets(), CANARY_TURNS: '3', CANARY_OUTPUT_DIR: join(dir, 'out') }),
      JSON.parse(targets()) as Parameters<typeof projectSettings>[1],
      { catalog: loadCatalog() },
    );
    for (const row of projected.rows) {
      const line = new RegExp(
        `${row.target}[^\\n]*\\n(?:\\s+\\w+:[^\\n]*\\n)*?\\s+per run:[^\\n]*≈ (\\d+) output audio tokens \\(at 20/s\\), (\\d+) input audio tokens`,
      ).exec(r.out);
      expect(line, row.target).not.toBeNull();
      expect([Number(line![1]), Number(line![2])]).toEqual([
        Math.round(row.tokensPerRun.audioOut),
        Math.round(row.tokensPerRun.audioIn),
      ]);
    }
    // the cost section is the projection `realtime-canary cost` prints: a row per target, dollars per run/day/month
    expect(r.out).toMatch(/cost \(as realtime-canary cost computes it[\s\S]*?sim-ga[\s\S]*?\$\d/);
    expect(r.out).toMatch(
      /AOAI_SWEDEN_KEY is a Key Vault reference \(canary-kv\/aoai-sweden-key\); it cannot be resolved locally/,
    );
    expect(r.out).toMatch(/alerts:\s+a Key Vault reference \(resolved in Azure\)/);
    expect(r.out).toMatch(/CANARY_WEBHOOK_URL is a Key Vault reference \(canary-kv\/aoai-sweden-key\)/);
    expect(r.out).toContain('nothing probed');
    expect(r.out).not.toContain(KEY);
  });

  it('names every problem and exits 2: a missing secret, an unknown prompt, a bad endpoint', async () => {
    const bad = JSON.stringify([
      { name: 'a', endpoint: sim.url('azure-ga'), auth: 'api-key', secretSetting: 'NOT_SET_ANYWHERE' },
      {
        name: 'b',
        endpoint: sim.url('azure-ga'),
        auth: 'api-key',
        secretSetting: 'SIM_KEY',
        prompts: ['no-such-prompt'],
      },
      { name: 'c', endpoint: 'http://example.com/somewhere', auth: 'none' },
    ]);
    const r = await runCli(['validate'], { ...base(), CANARY_TARGETS: bad, SIM_KEY: KEY });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('3 problem(s)');
    expect(r.stderr).toMatch(/CANARY_TARGETS\[0\]\.secretSetting: app setting "NOT_SET_ANYWHERE" is not set or empty/);
    expect(r.stderr).toMatch(/CANARY_TARGETS\[1\]\.prompts: .*no-such-prompt/);
    expect(r.stderr).toMatch(/CANARY_TARGETS\[2\]\.endpoint/);
    expect(r.out).not.toContain(KEY);
    const schedule = await runCli(['validate'], {
      ...base(),
      CANARY_TARGETS: targets(),
      CANARY_SCHEDULE: '0 */10 * *',
    });
    expect(schedule.code).toBe(2);
    expect(schedule.stderr.trim()).toMatch(/^realtime-canary validate: CANARY_SCHEDULE: must have six fields/);
  });

  it('reads CANARY_CONFIG_BLOB from the local folder store, and says when it is missing', async () => {
    const store = join(dir, 'store');
    await mkdir(join(store, 'config'), { recursive: true });
    await writeFile(join(store, 'config', 'canary.json'), JSON.stringify({ targets: JSON.parse(targets()) }));
    const env = { ...base(), CANARY_OUTPUT_DIR: store, SIM_KEY: KEY, AOAI_SWEDEN_KEY: 'x-key-value-not-printed' };
    const r = await runCli(['validate'], { ...env, CANARY_CONFIG_BLOB: 'config/canary.json' });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('targets (config/canary.json targets): 3');
    expect(r.out).toContain(`storage:  local folder ${store}`);
    expect(r.out).not.toContain('x-key-value-not-printed');
    const missing = await runCli(['validate'], { ...env, CANARY_CONFIG_BLOB: 'config/nope.json' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/CANARY_CONFIG_BLOB: no blob at "config\/nope\.json"/);
  });

  it('--connect opens one short connection per target and reports OK or refused, without the key', async () => {
    const two = JSON.stringify([
      { name: 'good', endpoint: sim.url('azure-ga'), auth: 'api-key', secretSetting: 'SIM_KEY' },
      { name: 'wrong-key', endpoint: sim.url('openai-ga'), auth: 'api-key', secretSetting: 'WRONG_KEY' },
    ]);
    const r = await runCli(['validate', '--connect', '--timeout-ms', '5000'], {
      ...base(),
      CANARY_TARGETS: two,
      SIM_KEY: KEY,
      WRONG_KEY: 'sk-wrong-0123456789',
    });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/good\s+OK \(session\.created after \d+ ms\)/);
    expect(r.out).toMatch(/wrong-key\s+(refused: HTTP 401|closed with code|first event was error)/);
    expect(r.stderr).toMatch(/wrong-key: /);
    expect(r.out).not.toContain(KEY);
    expect(r.out).not.toContain('sk-wrong-0123456789');
    const ok = await runCli(['validate', '--connect'], {
      ...base(),
      CANARY_TARGETS: JSON.stringify([JSON.parse(two)[0]]),
      SIM_KEY: KEY,
    });
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('all connected');
  });

  it('--connect never says "all connected" when WebRTC targets were not checked; it names them', async () => {
    const r = await runCli(['validate', '--connect', '--timeout-ms', '5000'], {
      ...base(),
      CANARY_TARGETS: JSON.stringify([
        { name: 'ws', endpoint: sim.url('azure-ga'), auth: 'api-key', secretSetting: 'SIM_KEY' },
        { name: 'pair', endpoint: sim.url('openai-ga'), auth: 'api-key', secretSetting: 'SIM_KEY', transport: 'both' },
      ]),
      SIM_KEY: KEY,
    });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/pair-webrtc\s+not checked: --connect opens WebSocket sessions, this target uses webrtc/);
    expect(r.out).not.toContain('all connected');
    expect(r.out).toMatch(
      /valid: 3 target\(s\), 2 connected over WebSocket; not checked: pair-webrtc \(WebRTC: --connect opens WebSocket sessions only/,
    );
  });
});

describe('schedule', () => {
  it('computes the next NCRONTAB runs in UTC', () => {
    const from = new Date('2026-12-01T13:57:12.500Z');
    expect(nextRuns('0 */10 * * * *', from, 3).map((d) => d.toISOString())).toEqual([
      '2026-12-01T14:00:00.000Z',
      '2026-12-01T14:10:00.000Z',
      '2026-12-01T14:20:00.000Z',
    ]);
    expect(nextRuns('0 30 9 * * Mon-Fri', new Date('2026-12-04T10:00:00Z'), 2).map((d) => d.toISOString())).toEqual([
      '2026-12-07T09:30:00.000Z',
      '2026-12-08T09:30:00.000Z',
    ]);
    expect(nextRuns('15,45 0 0 1 Jan *', from, 2).map((d) => d.toISOString())).toEqual([
      '2027-01-01T00:00:15.000Z',
      '2027-01-01T00:00:45.000Z',
    ]);
    expect(() => nextRuns('0 61 * * * *', from, 1)).toThrow(/minute must be from 0 to 59, got 61/);
  });
});

describe('settings precedence', () => {
  it('like func start, the environment wins over local.settings.json; the file fills what the environment lacks', async () => {
    const { operatorEnv } = await import('../../src/cli/settingsSource.js');
    const path = await settingsFile({ CANARY_REGION: 'from-file', CANARY_TURNS: '2', EMPTY_IN_ENV: 'file' });
    expect(operatorEnv(path, { CANARY_REGION: 'from-env', EMPTY_IN_ENV: '' })).toMatchObject({
      CANARY_REGION: 'from-env',
      CANARY_TURNS: '2',
      EMPTY_IN_ENV: 'file',
    });
    expect(() => operatorEnv(join(dir, 'missing.json'), {})).toThrow(/missing\.json: does not exist/);
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ Values: { N: 3 } }));
    expect(() => operatorEnv(join(dir, 'bad.json'), {})).toThrow(/Values\.N must be a string/);
  });
});

describe('validate --targets', () => {
  it('checks a targets file before upload (as docs/deploy.md does), noting secrets that live in Azure', async () => {
    const file = join(dir, 'targets.json');
    await writeFile(file, JSON.stringify({ targets: JSON.parse(targets()) }));
    const r = await runCli(['validate', '--targets', file], {
      CANARY_TARGETS: undefined,
      CANARY_OUTPUT_DIR: undefined,
      CANARY_STORAGE_CONNECTION_STRING: undefined,
      CANARY_STORAGE_ACCOUNT_URL: undefined,
      SIM_KEY: undefined,
    });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`targets (${file}): 3`);
    expect(r.out).toContain('storage:  (not configured: not needed to check a targets file)');
    expect(r.out).toMatch(
      /\[0\]\.secretSetting: app setting "SIM_KEY" is not set or empty here \(it must be an app setting or Key Vault reference of the Function app\)/,
    );
    const bad = join(dir, 'bad-targets.json');
    await writeFile(
      bad,
      JSON.stringify([
        { name: 'x', endpoint: 'wss://h/v1/realtime', auth: 'api-key', apiKey: 'sk-inline-0123456789abcdef' },
      ]),
    );
    const b = await runCli(['validate', '--targets', bad], { CANARY_TARGETS: undefined, CANARY_OUTPUT_DIR: undefined });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bad-targets\.json\[0\]\.apiKey: secrets are not allowed inline/);
    expect(b.out).not.toContain('sk-inline-0123456789abcdef');
  });
});
