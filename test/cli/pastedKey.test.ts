/**
 * `validate` (the built CLI in a child process) with a key pasted into the wrong setting — every setting
 * src/config/ parses, and the key as a JSON key, a value, a target's name, group, field or prompt
 * (test/helpers/pastedKey.ts): nothing it prints holds the key in any encoding, whether it refuses the setting
 * or prints the plan.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { closedTarget, pastedKeyCases } from '../helpers/pastedKey.js';
import { leaks } from '../helpers/secretScan.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { runCli, type CliResult } from './cliRun.js';

const KEY = 'gw7Qm2Xr9Lp4Vt8Kc3Nb6Hd1Zs';
afterAll(cleanupTempDirs);

/** Runs `validate` for every case, three at a time (each is a child process). */
async function validateAll(): Promise<{ label: string; r: CliResult }[]> {
  const dir = await tempDir('rc-pasted-cli-');
  const base = { CANARY_TARGETS: JSON.stringify([closedTarget()]), CANARY_OUTPUT_DIR: join(dir, 'store') };
  const cases = pastedKeyCases(KEY, dir, base);
  const out: { label: string; r: CliResult }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let c = cases[next++]; c; c = cases[next++])
      out.push({ label: c.label, r: await runCli(['validate'], c.env) });
  };
  await Promise.all([worker(), worker(), worker()]);
  return out;
}

describe('validate with a key pasted into the wrong setting', () => {
  it('prints nothing that holds the key, for every setting', { timeout: 300_000 }, async () => {
    const runs = await validateAll();
    expect(runs.length).toBeGreaterThanOrEqual(40);
    for (const { label, r } of runs) {
      for (const line of r.out.split('\n')) expect(leaks(line, KEY), `${label}: ${line}`).toEqual([]);
      // it ran and said something: the plan, or the setting it refuses
      expect(r.out, label).toMatch(/valid: 1 target|realtime-canary validate: |problem\(s\)/);
    }
  });
});
