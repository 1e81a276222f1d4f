/**
 * `realtime-canary probe` as a user runs it (the built CLI in a child process) against the simulator: the
 * finding codes land in report.json, the report validates against the shipped schema, the exit code follows
 * the verdict, report.html is written next to them, `report` renders a folder as Blob Storage holds it
 * (events.jsonl.gz), and the key appears in no file and no output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { reportErrors } from '../analysis/schema.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { shortCatalog } from '../handlers/roundFixture.js';
import { encodeWav } from '../../src/audio/wav.js';
import { closedPort } from '../helpers/closedPort.js';
import { AZURE_PREVIEW_DEPRECATED } from '../../src/realtime/flavours.js';

const run = promisify(execFile);

const CLI = join(import.meta.dirname, '../../dist/src/cli.js');
const KEY = 'sk-cli-SECRET-0a9b8c7d6e';
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
    scenarios: {
      gap: {
        name: 'gap',
        description: 'gap',
        delivery: { speed: 6, burstMs: 500 },
        turns: [{ faults: [] }, { faults: [{ kind: 'silent-gap', atMs: 2500, durationMs: 2000 }] }],
      },
      cut: {
        name: 'cut',
        description: 'cut',
        delivery: { speed: 6, burstMs: 500 },
        turns: [{ faults: [{ kind: 'truncate-audio', atMs: 4000 }] }],
      },
    },
  });
});
afterAll(async () => sim?.close());

interface CliRun {
  code: number;
  out: string;
  dir: string;
}

async function probe(args: string[], env: Record<string, string> = { RC_KEY: KEY }): Promise<CliRun> {
  const dir = await mkdtemp(join(tmpdir(), 'rc-cli-'));
  try {
    const r = await run(process.execPath, [CLI, 'probe', '--out', dir, '--prompt', promptWav, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, out: r.stdout + r.stderr, dir };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr, dir };
  }
}

async function reportOf(
  dir: string,
): Promise<{ verdict: string; turns: { findings: { code: string }[] }[]; findings: { code: string }[] }> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
}
const codes = (r: Awaited<ReturnType<typeof reportOf>>): string[] =>
  [...new Set([...r.findings, ...r.turns.flatMap((t) => t.findings)].map((f) => f.code))].sort();

describe('realtime-canary probe', () => {
  const runs = new Map<string, Promise<CliRun>>();
  beforeAll(() => {
    const url = (flavour: 'azure-ga' | 'azure-preview', scenario?: string) => sim.url(flavour, { scenario });
    runs.set('healthy', probe(['--endpoint', url('azure-ga'), '--api-key-env', 'RC_KEY', '--turns', '2']));
    runs.set('gap', probe(['--endpoint', url('azure-preview', 'gap'), '--api-key-env', 'RC_KEY', '--turns', '2']));
    runs.set('cut', probe(['--endpoint', url('azure-ga', 'cut'), '--api-key-env', 'RC_KEY', '--turns', '1']));
    runs.set(
      'no-done',
      probe([
        '--endpoint',
        url('azure-ga', 'no-response-done'),
        '--api-key-env',
        'RC_KEY',
        '--turns',
        '1',
        '--timeout-ms',
        '4000',
      ]),
    );
    runs.set('rejected', probe(['--endpoint', url('azure-ga', 'reject-403'), '--api-key-env', 'RC_KEY']));
    runs.set('wrong-key', probe(['--endpoint', url('azure-ga'), '--api-key-env', 'RC_KEY'], { RC_KEY: 'not-the-key' }));
  });

  it('--transport webrtc probes the same deployment over WebRTC: call id, RTP log, decoded audio, healthy', async () => {
    // WebRTC audio plays out at real time (a ~20 s answer), so this run takes longer than the WebSocket ones
    const r = await probe([
      '--endpoint',
      sim.url('azure-ga'),
      '--api-key-env',
      'RC_KEY',
      '--turns',
      '1',
      '--transport',
      'webrtc',
    ]);
    expect(r.out).toContain('webrtc');
    expect(r.code).toBe(0);
    expect(await readdir(r.dir)).toEqual(expect.arrayContaining(['rtp-1.bin', 'turn-1.wav', 'report.html']));
    const report = JSON.parse(await readFile(join(r.dir, 'report.json'), 'utf8')) as {
      target: { transport?: string };
      correlation: { callId?: string };
    };
    expect(report.target.transport).toBe('webrtc');
    expect(report.correlation.callId).toMatch(/^rtc_/);
  }, 150_000);

  it('exits 0 on a healthy session and writes events, audio and report', async () => {
    const r = await runs.get('healthy')!;
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/turn 2 of 2/);
    expect((await readdir(r.dir)).sort()).toEqual([
      'events.jsonl',
      'prompt-1.wav',
      'prompt-2.wav',
      'report.html',
      'report.json',
      'turn-1.wav',
      'turn-2.wav',
    ]);
    expect((await reportOf(r.dir)).verdict).toBe('pass');
    const html = await readFile(join(r.dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain(JSON.parse(await readFile(join(r.dir, 'report.json'), 'utf8')).runId);
    expect(html).toContain('turn-2.wav');
    expect(r.out).toContain(`report: ${join(r.dir, 'report.html')}`);
  });

  it('report renders a run folder as downloaded from Blob Storage (events.jsonl.gz and the WAVs)', async () => {
    const r = await runs.get('gap')!;
    const blob = await mkdtemp(join(tmpdir(), 'rc-cli-blob-'));
    await writeFile(join(blob, 'events.jsonl.gz'), gzipSync(await readFile(join(r.dir, 'events.jsonl'))));
    for (const f of await readdir(r.dir))
      if (f.endsWith('.wav') || f === 'report.json') await copyFile(join(r.dir, f), join(blob, f));
    const rendered = await run(process.execPath, [CLI, 'report', blob]);
    expect(rendered.stdout.trim()).toBe(join(blob, 'report.html'));
    const html = await readFile(join(blob, 'report.html'), 'utf8');
    const original = await readFile(join(r.dir, 'report.html'), 'utf8');
    expect(html).toContain('silent_gap');
    // The same page as the probe wrote from the uncompressed folder (the audio is read back from the WAVs).
    expect(html.length).toBeGreaterThan(original.length * 0.9);
    expect(html).toContain('turn-2.wav');
    // A container downloaded whole: the run folders are found below it and named.
    const container = await mkdtemp(join(tmpdir(), 'rc-cli-container-'));
    const nested = join(container, 'runs', '2026', '11', '02', 'run-x', 'local', 'gap');
    await mkdir(nested, { recursive: true });
    await copyFile(join(blob, 'events.jsonl.gz'), join(nested, 'events.jsonl.gz'));
    const top = await run(process.execPath, [CLI, 'report', container]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(top).toMatchObject({ code: 2 });
    expect((top as { stderr: string }).stderr).toContain(
      'is not a run folder, but has 1 below it (runs/2026/11/02/run-x/local/gap); pass one of them',
    );
    await writeFile(join(blob, 'events.jsonl.gz'), 'not gzip');
    const broken = await run(process.execPath, [CLI, 'report', blob]).catch((e: { code: number; stderr: string }) => e);
    expect(broken).toMatchObject({ code: 2 });
    expect((broken as { stderr: string }).stderr).toMatch(/events\.jsonl\.gz: is not a readable gzip file/);
  });

  it('says azure-preview is deprecated in its output, report.json and report.html; a GA flavour says nothing', async () => {
    const preview = await runs.get('gap')!;
    expect(preview.out).toContain(`note: ${AZURE_PREVIEW_DEPRECATED}`);
    const json = JSON.parse(await readFile(join(preview.dir, 'report.json'), 'utf8')) as {
      target: { notice?: string };
    };
    expect(json.target.notice).toBe(AZURE_PREVIEW_DEPRECATED);
    const html = await readFile(join(preview.dir, 'report.html'), 'utf8');
    expect(html).toMatch(/data-testid="flavour-notice">[^<]*Azure deprecated the preview Realtime API on 2026-04-30/);
    const ga = await runs.get('healthy')!;
    expect(ga.out).not.toContain('note: ');
    expect(JSON.parse(await readFile(join(ga.dir, 'report.json'), 'utf8')).target.notice).toBeUndefined();
    expect(await readFile(join(ga.dir, 'report.html'), 'utf8')).not.toContain('flavour-notice');
  });

  it('exits 1 with the right finding codes for injected faults', async () => {
    const gap = await runs.get('gap')!;
    expect(gap.code).toBe(1);
    const report = await reportOf(gap.dir);
    expect(report.turns[0]!.findings).toEqual([]);
    expect(report.turns[1]!.findings.map((f) => f.code)).toContain('silent_gap');
    const cut = await runs.get('cut')!;
    expect(cut.code).toBe(1);
    expect(codes(await reportOf(cut.dir))).toContain('audio_truncated');
    const noDone = await runs.get('no-done')!;
    expect(noDone.code).toBe(1);
    expect(codes(await reportOf(noDone.dir))).toContain('missing_response_done');
  });

  it('exits 2 when the session cannot start, with the status in the report and a one-line error', async () => {
    for (const name of ['rejected', 'wrong-key']) {
      const r = await runs.get(name)!;
      expect(r.code).toBe(2);
      expect(codes(await reportOf(r.dir))).toEqual(['connection_rejected']);
      expect(r.out).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect((await runs.get('wrong-key')!).out).toMatch(/401/);
    expect((await runs.get('wrong-key')!).out).toMatch(
      /configuration problem \(credentials: key from \$RC_KEY\): The canary could not authenticate to 127\.0\.0\.1:\d+\. The key or token was refused: .* Setting to fix: --api-key-env RC_KEY\./,
    );
    expect((await runs.get('rejected')!).out).toMatch(
      /configuration problem \(credentials: key from \$RC_KEY\): A network rule of 127\.0\.0\.1:\d+ denies the canary\./,
    );
    expect((await runs.get('healthy')!).out).not.toContain('configuration problem');
  });

  it('a refused connection (ECONNREFUSED) reads as configuration in the output, report.json and report.html alike', async () => {
    const port = await closedPort();
    const r = await probe([
      '--endpoint',
      `ws://127.0.0.1:${port}/openai/v1/realtime?model=gpt-realtime`,
      '--api-key-env',
      'RC_KEY',
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^ERROR \(configuration\) /m);
    expect(r.out).toMatch(
      new RegExp(
        `configuration problem \\(credentials: key from \\$RC_KEY\\): The canary could not reach 127\\.0\\.0\\.1:${port}\\. .*ECONNREFUSED.* Setting to fix: --endpoint\\.`,
      ),
    );
    const report = JSON.parse(await readFile(join(r.dir, 'report.json'), 'utf8'));
    expect(report.problem).toMatchObject({
      category: 'configuration',
      kind: 'unreachable',
      settingValue: '--endpoint',
    });
    const html = await readFile(join(r.dir, 'report.html'), 'utf8');
    expect(html).toContain('data-kind="configuration"');
    expect(html).not.toContain('<textarea data-testid="support-summary"');
  });

  it('exits 2 on usage errors, naming the problem', async () => {
    const missing = await probe(['--endpoint', sim.url('azure-ga'), '--api-key-env', 'NOPE_NOT_SET']);
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/--api-key-env: environment variable NOPE_NOT_SET is not set/);
    const bad = await probe(['--endpoint', 'http://example/somewhere']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/endpoint: cannot infer the flavour/);
  });

  it('every report validates against schema/report.schema.json, and no file or output contains the key', async () => {
    for (const [name, p] of runs) {
      const r = await p;
      const report = await reportOf(r.dir);
      expect(reportErrors(report), name).toEqual([]);
      expect(r.out).not.toContain(KEY);
      for (const f of await readdir(r.dir))
        expect((await readFile(join(r.dir, f))).toString('latin1'), `${name}/${f}`).not.toContain(KEY);
    }
  });
});
