/**
 * The Function with a key pasted into the wrong setting (every setting src/config/ parses, test/helpers/pastedKey.ts):
 * the real handler with a real InvocationContext; neither its log lines, nor the error it throws, nor any file the
 * round leaves in the local store or the spool holds the key in any encoding. A region with a line break cannot
 * forge a log line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { leaks, scanFolder } from '../helpers/secretScan.js';
import { closedTarget, pastedKeyCases } from '../helpers/pastedKey.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { invoke } from './roundFixture.js';

const KEY = 'gw7Qm2Xr9Lp4Vt8Kc3Nb6Hd1Zs';
afterAll(cleanupTempDirs);

async function world(): Promise<{ dir: string; base: Record<string, string> }> {
  const dir = await tempDir('rc-pasted-');
  return {
    dir,
    base: {
      CANARY_TARGETS: JSON.stringify([closedTarget()]),
      CANARY_OUTPUT_DIR: join(dir, 'store'),
      CANARY_SPOOL_DIR: join(dir, 'spool'),
      CANARY_TURNS: '1',
      CANARY_TURN_TIMEOUT_MS: '5000',
      CANARY_SESSION_TIMEOUT_MS: '8000',
      CANARY_PROMPTS: 'count-to-twenty',
      CANARY_ROUND_DEADLINE_MS: '20000',
    },
  };
}

describe('the Function with a key pasted into the wrong setting', () => {
  const labels = pastedKeyCases(KEY, '/', {}).map((c) => c.label);

  it.each(labels)('%s: no log line, thrown error or stored file holds the key', async (label) => {
    const { dir, base } = await world();
    const c = pastedKeyCases(KEY, dir, base).find((x) => x.label === label)!;
    let thrown = '';
    const logs: string[] = [];
    await invoke(c.env, {}, logs).catch(
      (err: unknown) => (thrown = err instanceof Error ? `${err.message}\n${err.stack}` : String(err)),
    );
    for (const line of [...logs, thrown]) expect(leaks(line, KEY), line).toEqual([]);
    expect((await scanFolder(dir, [KEY])).filter((f) => f.found.length)).toEqual([]);
    if (thrown) expect(thrown).toMatch(new RegExp(`^${c.setting}`));
  });

  it('a region with a line break is refused in one log line; nothing is forged', async () => {
    const { base } = await world();
    const logs: string[] = [];
    const region = 'westeurope\nerror: everything is down';
    await expect(invoke({ ...base, CANARY_REGION: region }, {}, logs)).rejects.toThrow(
      /^CANARY_REGION: must be 1–63 letters/,
    );
    expect(logs).toEqual([expect.stringMatching(/^error: configuration error: CANARY_REGION: must be 1–63 letters/)]);
    expect(logs.join('\n')).not.toContain('everything is down');
  });
});
