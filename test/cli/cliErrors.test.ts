/**
 * The CLI's error paths as a user meets them (the built CLI in a child process): a mistyped flag gets a one-line
 * "did you mean", a probe without an auth flag says which flags exist, a key passed where a variable name belongs
 * is refused without being echoed, a busy port is one line with exit 2, and `--pace`/`--bearer-env`/`--no-auth`
 * reach the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { shortCatalog } from '../handlers/roundFixture.js';
import { closestFlag, editDistance } from '../../src/cli/args.js';
import { isVariableName } from '../../src/cli/targetFromFlags.js';
import { demoTargets } from '../../src/cli/demoCommand.js';
import { encodeWav } from '../../src/audio/wav.js';
import { runCli } from './cliRun.js';

const KEY = 'sk-proj-Zq8VhT2mW9xYc4LbN7rK1sP0aF3gD6jE';
let sim: RunningSimulator;
/** The catalogue's prompt audio as a user WAV (no expectation), so the simulator's short answer is not judged against "twenty". */
let promptWav: string;
beforeAll(async () => {
  promptWav = join(await mkdtemp(join(tmpdir(), 'rc-cli-prompt-')), 'my-prompt.wav');
  await writeFile(promptWav, encodeWav(shortCatalog()[0]!.pcm));
  sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    catalog: shortCatalog(),
    scenarios: { fast: { name: 'fast', description: 'fast', delivery: { speed: 6, burstMs: 500 } } },
  });
});
afterAll(async () => sim?.close());

const outDir = () => mkdtemp(join(tmpdir(), 'rc-cli-err-'));
const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('unknown flags', () => {
  it('name the flag and suggest the nearest known one, in one line, exit 2', async () => {
    const r = await runCli(['probe', '--endpont', sim.url('azure-ga'), '--api-key-env', 'RC_KEY']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'realtime-canary probe: --endpont: is not a known flag; did you mean --endpoint? (see --help)',
    );
    expect(r.out).not.toMatch(/To specify a positional argument/);
    const sim2 = await runCli(['sim', '--scenaro', 'drop']);
    expect(sim2.code).toBe(2);
    expect(sim2.stderr).toMatch(/--scenaro: is not a known flag; did you mean --scenario\?/);
    const far = await runCli(['report', '--zzzzzz', 'x']);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/--zzzzzz: is not a known flag \(see --help\)/);
    const missing = await runCli(['report', 'dir', '--out']);
    expect(missing.stderr.trim()).toBe('realtime-canary report: --out: expects a value');
  });

  it('an out-of-range --generation-window-ms is refused naming the flag and its bounds, exit 2', async () => {
    const r = await runCli(
      ['probe', '--endpoint', sim.url('azure-ga'), '--api-key-env', 'RC_KEY', '--generation-window-ms', '40000'],
      { RC_KEY: KEY },
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'realtime-canary probe: --generation-window-ms: expects a whole number from 0 to 30000, got "40000"',
    );
  });

  it('suggestions come from edit distance (swaps count once) and a unique prefix', () => {
    expect(editDistance('endpont', 'endpoint')).toBe(1);
    expect(editDistance('trusn', 'turns')).toBe(2);
    expect(editDistance('ofr', 'for')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
    expect(editDistance('tunrs', 'turns')).toBe(1);
    expect(closestFlag('tunrs', ['turns', 'text', 'timeout-ms'])).toBe('turns');
    expect(closestFlag('api-key', ['api-key-env', 'api-version'])).toBe('api-key-env');
    expect(closestFlag('session', ['session-timeout-ms', 'scope'])).toBe('session-timeout-ms');
    expect(closestFlag('q', ['quiet', 'out'])).toBeUndefined();
    expect(closestFlag('banana', ['turns', 'text'])).toBeUndefined();
  });
});

describe('probe auth flags', () => {
  it('without an auth flag it names the four choices instead of connecting unauthenticated', async () => {
    const out = await outDir();
    const r = await runCli(['probe', '--endpoint', sim.url('azure-ga'), '--out', out]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    for (const flag of ['--api-key-env', '--bearer-env', '--entra', '--no-auth']) expect(r.stderr).toContain(flag);
    expect(await readdir(out)).toEqual([]); // nothing connected, nothing written
    const both = await runCli(['probe', '--endpoint', sim.url('azure-ga'), '--entra', '--no-auth']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--entra: cannot be combined with --no-auth/);
  });

  it('refuses a key given to --api-key-env or --bearer-env without echoing it', async () => {
    for (const [flag, value] of [
      ['--api-key-env', KEY],
      ['--api-key-env', '0123456789abcdef0123456789abcdef'],
      ['--bearer-env', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
      ['--api-key-env', 'Zq8VhT2mW9xYc4LbN7rK1sP0aF3gD6jEq'],
    ] as const) {
      const r = await runCli(['probe', '--endpoint', sim.url('openai-ga'), flag, value]);
      expect(r.code, value).toBe(2);
      expect(r.stderr).toContain(`${flag}: expects the NAME of an environment variable`);
      expect(r.out).not.toContain(value);
      expect(r.out).not.toContain(value.slice(0, 12));
    }
    const stray = await runCli(['probe', '--endpoint', sim.url('openai-ga'), '--api-key-env', 'RC_KEY', KEY], {
      RC_KEY: KEY,
    });
    expect(stray.code).toBe(2);
    expect(stray.stderr.trim()).toBe(
      'realtime-canary probe: arguments: unexpected argument a value that looks like a secret (not shown); flags start with -- (see --help)',
    );
    const typo = await runCli(['validate', 'connect']);
    expect(typo.stderr).toContain('unexpected argument "connect"');
    for (const name of [
      'AZURE_OPENAI_KEY',
      'OPENAI_API_KEY',
      'RC_KEY',
      'my_key',
      'KEY_0123456789ABCDEF0123456789ABCDEF0',
    ])
      expect(isVariableName(name), name).toBe(true);
  });

  it('--bearer-env, --no-auth and --pace reach the session', async () => {
    const out = await outDir();
    const bearer = await runCli(
      [
        'probe',
        '--endpoint',
        sim.url('openai-ga', { scenario: 'fast' }),
        '--bearer-env',
        'RC_TOKEN',
        '--turns',
        '1',
        '--pace',
        'burst',
        '--prompt',
        promptWav,
        '--out',
        out,
      ],
      { RC_TOKEN: KEY },
    );
    expect(bearer.out).toMatch(/turn 1 of 1/);
    expect(bearer.code).toBe(0);
    const meta = JSON.parse((await readFile(join(out, 'events.jsonl'), 'utf8')).split('\n')[0]!) as {
      options: { pace?: string };
    };
    expect(meta.options.pace).toBe('burst');
    const none = await runCli(['probe', '--endpoint', sim.url('openai-ga'), '--no-auth', '--out', await outDir()]);
    expect(none.code).toBe(2); // the simulator wants a key: no credentials were sent
    expect(none.out).toMatch(/Missing bearer or basic authentication/);
    expect(none.out).toMatch(/configuration problem \(credentials: no credentials\): The canary could not /);
    const pace = await runCli(['probe', '--endpoint', sim.url('openai-ga'), '--no-auth', '--pace', 'slow']);
    expect(pace.code).toBe(2);
    expect(pace.stderr).toMatch(/--pace: expects one of realtime, burst, got "slow"/);
  });
});

describe('sim on a busy port', () => {
  let blocker: Server;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('is a one-line error with exit 2 and no stack trace', async () => {
    const port = (blocker.address() as AddressInfo).port;
    const r = await runCli(['sim', '--port', String(port), '--host', '127.0.0.1'], {}, 20_000);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain(`--port: ${port} is already in use`);
    expect(r.out).not.toMatch(/\n\s+at /);
  });
});

describe('demo targets', () => {
  it('no longer probe the retired OpenAI beta interface, and still include an OpenAI wrong key and a dropped connection', () => {
    const targets = demoTargets((flavour, scenario) => `ws://127.0.0.1:1/${flavour}?scenario=${scenario}`);
    expect(targets.map((t) => t.endpoint).join(' ')).not.toContain('openai-beta');
    expect(targets.some((t) => t.flavour === 'openai-beta' || t.dialect === 'beta')).toBe(false);
    expect(targets.find((t) => t.name === 'openai-wrong-key')).toMatchObject({
      endpoint: expect.stringContaining('openai-ga'),
      secretSetting: 'DEMO_WRONG_KEY',
    });
    expect(targets.some((t) => t.endpoint?.endsWith('scenario=drop'))).toBe(true);
  });
});
