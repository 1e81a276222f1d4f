import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../../src/cli/reportCommand.js';
import { ConfigError, InputError } from '../../src/errors.js';
import { writeTrace } from '../../src/trace/traceFile.js';
import { syntheticRun } from './fixtures.js';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { TraceBuilder } from '../analysis/traceBuilder.js';

let dir: string;
let printed: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rc-report-cli-'));
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function runFolder(withReport: boolean): Promise<string> {
  const run = syntheticRun({ turns: 1 });
  const folder = join(dir, 'run');
  await writeTrace(folder, run.trace);
  if (withReport)
    await writeFile(
      join(folder, 'report.json'),
      JSON.stringify({ ...run.report, target: { ...run.report.target, name: 'from-report-json' } }),
    );
  return folder;
}

describe('realtime-canary report', () => {
  it('writes report.html into the run folder from report.json and prints its path', async () => {
    const folder = await runFolder(true);
    expect(await reportCommand([folder])).toBe(0);
    expect(printed).toEqual([join(folder, 'report.html')]);
    const html = await readFile(join(folder, 'report.html'), 'utf8');
    expect(html).toContain('from-report-json');
    expect(html).toContain('data-src="turn-1.wav"');
    expect(html).toContain('data-src="prompt-1.wav"');
  });

  it('analyses the trace when report.json is missing', async () => {
    const folder = await runFolder(false);
    expect(await reportCommand([folder])).toBe(0);
    expect(await readFile(join(folder, 'report.html'), 'utf8')).toContain('synthetic-target');
  });

  it('classifies a report.json written before runs were (no problem) from its trace: a 401 is configuration', async () => {
    const b = new TraceBuilder().connect({ status: 401, body: '{"error":{"code":"401","message":"Access denied."}}' });
    const trace = b.sessionEnd(41, 'rejected').build(1);
    const { problem: _, ...old } = buildReport(trace, analyzeTrace(trace));
    const folder = join(dir, 'old');
    await writeTrace(folder, trace);
    await writeFile(join(folder, 'report.json'), JSON.stringify(old));
    expect(await reportCommand([folder])).toBe(0);
    const html = await readFile(join(folder, 'report.html'), 'utf8');
    expect(html).toContain('data-kind="configuration"');
    expect(html).toContain('The canary could not authenticate to example.openai.azure.com.');
    expect(html).not.toContain('<textarea data-testid="support-summary"');
  });

  it('points the players at the run folder when --out writes elsewhere', async () => {
    const folder = await runFolder(true);
    await mkdir(join(dir, 'pages'));
    const out = join(dir, 'pages', 'r.html');
    expect(await reportCommand([folder, '--out', out])).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('data-src="../run/turn-1.wav"');
  });

  it('fails clearly on usage and input errors', async () => {
    await expect(reportCommand([])).rejects.toThrow(ConfigError);
    await expect(reportCommand(['a', 'b'])).rejects.toThrow(/expects one run folder/);
    await expect(reportCommand(['--bogus'])).rejects.toThrow(ConfigError);
    await expect(reportCommand([join(dir, 'nope')])).rejects.toThrow(InputError);
    const folder = await runFolder(false);
    await writeFile(join(folder, 'report.json'), '{ not json');
    await expect(reportCommand([folder])).rejects.toThrow(/report\.json: is not valid JSON/);
    await writeFile(join(folder, 'report.json'), JSON.stringify({ schemaVersion: 99 }));
    await expect(reportCommand([folder])).rejects.toThrow(/schema version 99/);
  });

  it('prints its help', async () => {
    expect(await reportCommand(['--help'])).toBe(0);
    expect(printed[0]).toMatch(/^realtime-canary report <run-dir>/);
  });
});
