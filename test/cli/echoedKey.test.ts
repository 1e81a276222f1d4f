/**
 * A 26-character gateway key — no key pattern matches it — echoed back by the service, against the built CLI in a
 * child process: `probe` (a refusal's reason phrase and body, an `error` event's message with the key as given and
 * in base64, a transcript line) and `validate --connect` (the refusal text, a first event whose type carries the
 * key). The key sits in an environment variable whose name says nothing of a secret, so only what the command
 * knows it sent can scrub it. Every printed line and every file written is scanned for the key in each encoding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.js';
import type { RunningSimulator } from '../../src/sim/index.js';
import { startEchoingSim } from '../helpers/echoingSim.js';
import { shortCatalog } from '../handlers/roundFixture.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { leaks, scanFolder } from '../helpers/secretScan.js';
import { hostileServer, type Hostile } from '../probe/hostileServer.js';
import { runCli, type CliResult } from './cliRun.js';

const KEY = 'gw7Qm2Xr9Lp4Vt8Kc3Nb6Hd1Zs';
const BASIC = Buffer.from(`canary:${KEY}`).toString('base64');
const ENV = { GATEWAY_CRED: KEY };

let sim: RunningSimulator;
let refusing: Hostile;
let oddFirstEvent: Hostile;
let promptWav: string;
beforeAll(async () => {
  promptWav = join(await tempDir('rc-echo-prompt-'), 'prompt.wav');
  await writeFile(promptWav, encodeWav(shortCatalog()[0]!.pcm));
  sim = await startEchoingSim(KEY);
  refusing = await hostileServer({
    reject: {
      status: 401,
      reason: `Incorrect API key provided: ${KEY}`,
      body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, auth: BASIC } }),
      headers: { 'x-echo-key': KEY },
    },
  });
  oddFirstEvent = await hostileServer({
    onConnection: (ws) => ws.send(JSON.stringify({ type: `error.${KEY}`, event_id: 'e1' })),
  });
});
afterAll(async () => Promise.all([sim?.close(), refusing?.close(), oddFirstEvent?.close(), cleanupTempDirs()]));

async function probe(endpoint: string): Promise<{ r: CliResult; dir: string }> {
  const dir = await tempDir('rc-echo-run-');
  const r = await runCli(
    [
      'probe',
      '--endpoint',
      endpoint,
      '--api-key-env',
      'GATEWAY_CRED',
      '--prompt',
      promptWav,
      '--turns',
      '1',
      '--pace',
      'burst',
      '--out',
      dir,
    ],
    ENV,
  );
  return { r, dir };
}

async function expectNoKey(r: CliResult, dir?: string): Promise<void> {
  for (const line of r.out.split('\n')) expect(leaks(line, KEY), line).toEqual([]);
  if (dir) expect((await scanFolder(dir, [KEY])).filter((f) => f.found.length)).toEqual([]);
}

describe('a key the service echoes back', () => {
  it('probe: not in the error event, the transcript line, events.jsonl, report.json or report.html', async () => {
    const { r, dir } = await probe(sim.url('azure-ga', { scenario: 'echo' }));
    expect(r.code, r.out).toBe(1);
    await expectNoKey(r, dir);
    // the echo did reach the printed lines: the error event's message and the transcript, scrubbed
    expect(r.out).toMatch(/Incorrect API key provided: \[redacted\] \(Basic [^)]*\[redacted\]/);
    expect(r.out).toMatch(/“.*Your key is \[redacted\]/);
  });

  it('probe: not in a refusal reason phrase, its body or its headers', async () => {
    const { r, dir } = await probe(refusing.url);
    expect(r.code, r.out).toBe(2);
    await expectNoKey(r, dir);
    expect(r.out).toMatch(/HTTP 401/);
  });

  it('probe --name and --region (and a key typed as a flag or a command): refused, never repeated', async () => {
    for (const [flag, value] of [
      ['--region', KEY],
      ['--name', `eu-${KEY}`],
      ['--region', 'westeurope\nPASS  forged line'],
    ]) {
      const r = await runCli(
        [
          'probe',
          '--endpoint',
          refusing.url,
          '--api-key-env',
          'GATEWAY_CRED',
          flag!,
          value!,
          '--out',
          await tempDir('rc-'),
        ],
        ENV,
      );
      expect(r.code, r.out).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^realtime-canary probe: ${flag}: `));
      await expectNoKey(r);
      expect(r.out).not.toContain('forged line');
    }
    // a key typed as a flag, or as the command
    for (const args of [['probe', `--${KEY}`], [KEY]]) {
      const r = await runCli(args, ENV);
      expect(r.code, r.out).toBe(2);
      await expectNoKey(r);
    }
  });

  it('validate --connect: not in the refusal text nor a first event whose type carries it', async () => {
    const target = (name: string, endpoint: string): object => ({
      name,
      endpoint,
      auth: 'api-key',
      secretSetting: 'GATEWAY_CRED',
    });
    const r = await runCli(['validate', '--connect', '--timeout-ms', '5000'], {
      ...ENV,
      CANARY_OUTPUT_DIR: await tempDir('rc-echo-validate-'),
      CANARY_TARGETS: JSON.stringify([target('refusing', refusing.url), target('odd-first', oddFirstEvent.url)]),
    });
    expect(r.code, r.out).toBe(2);
    await expectNoKey(r);
    expect(r.out).toMatch(/refusing +refused: HTTP 401 Incorrect API key provided: \[redacted\]/);
    expect(r.out).toMatch(/odd-first +first event was error\.\[redacted\], not session\.created/);
  });
});
