/**
 * The plan check as an operator meets it (the built CLI in a child process): `validate` says in one line that a
 * plan within its budgets fits and exits 0; prints a rotating round as a warning with what would make it fit;
 * refuses (exit 2) 5,000 targets with a 60 s deadline and a deployment probed beyond its budget, saying what is over
 * and what would fit; `cost` prints every deployment's and key's planned sessions beside the money and refuses the
 * same plans. No secret is printed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cliRun.js';

const KEY = 'plan-check-SECRET-7c6b5a4d3e2f1a0b';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rc-plan-'));
});

/** `n` targets on Azure deployments (`perDeployment` targets each), all with the key in AOAI_KEY. */
function fleet(n: number, perDeployment = 1): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `t${i}`,
    resource: 'canary-swe',
    deployment: `gpt-realtime-${Math.floor(i / perDeployment)}`,
    auth: 'api-key',
    secretSetting: 'AOAI_KEY',
  }));
}

async function targetsFile(targets: unknown[]): Promise<string> {
  const path = join(dir, `targets-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(targets));
  return path;
}

/** A clean environment: only what the test sets. */
const env = (extra: Record<string, string> = {}): Record<string, string | undefined> => ({
  CANARY_TARGETS: undefined,
  CANARY_CONFIG_BLOB: undefined,
  CANARY_WEBHOOK_URL: undefined,
  CANARY_SCHEDULE: undefined,
  CANARY_MODE: undefined,
  CANARY_OUTPUT_DIR: join(dir, 'out'),
  AOAI_KEY: KEY,
  ...extra,
});

describe('validate: the plan check', () => {
  it('says in one line that a plan within its budgets fits, and exits 0', async () => {
    const r = await runCli(['validate'], env({ CANARY_TARGETS: JSON.stringify(fleet(3)) }));
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toContain(
      'sessions: 3 target(s), ≈ 432 session starts a day from 1 region (864 if every probe were confirmed 1 time(s), ' +
        'CANARY_CONFIRM_RETRIES); 3 deployment(s), 1 key(s): all within their session budgets',
    );
    expect(r.stdout).toMatch(/^round: fits — the busiest round's 3 due target\(s\) need ≈ \d+ s of sessions/m);
    expect(r.stdout).not.toContain('budget of'); // no table
    expect(r.stdout).toMatch(/^valid: 3 target\(s\)/m);
    expect(r.out).not.toContain(KEY);
  });

  it('refuses 5,000 targets with a 60 s deadline: the round and the shared key, each with what would fit', async () => {
    const file = await targetsFile(fleet(5_000));
    const r = await runCli(['validate', '--targets', file], env({ CANARY_ROUND_DEADLINE_MS: '60000' }));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^round: does not fit — the busiest round has 5,000 due target\(s\)/m);
    expect(r.stderr).toContain('2 problem(s):');
    expect(r.stderr).toMatch(
      /^ {2}round: the busiest round has 5,000 due target\(s\) needing ≈ [\d,]+ s of sessions and fits (\d+) \([\d,]+ s planned: 8 at a time × 48 s probe window × 80 %\); in rotation each due target is probed once every [\d,]+ rounds .*, more than 2 — the plan does not fit\. What would fit every round: at most \1 target\(s\) due per round in one app \(the rest in another\); or CANARY_MODE=queue/m,
    );
    expect(r.stderr).toMatch(
      /^ {2}key AOAI_KEY: 5,000 session starts planned in its busiest minute, 100 a minute allowed and a start can wait at most 18 s: [\d,]+ probe\(s\) a day would be "not probed: quota"\. Raise CANARY_KEY_MAX_SESSIONS_PER_MINUTE/m,
    );
    // the budget table: the key over, the deployments within (one target each), one line for them
    expect(r.stdout).toMatch(
      /^ {2}key AOAI_KEY\s+5,000\s+5,000 \(10,000\)\s+100\s+720,000 \(1,440,000\)\s+none\s+OVER/m,
    );
    expect(r.stdout).toContain('and 5,000 within budget');
    expect(r.stdout).not.toMatch(/^valid:/m);
    expect(r.out).not.toContain(KEY);
  });

  it('lets 400 targets fit by rotation (a warning, exit 0) and names the concurrency and every that fit', async () => {
    const targets = fleet(400).map((t) => ({ ...t, keyMaxSessionsPerMinute: 1_000 }));
    const r = await runCli(['validate'], env({ CANARY_TARGETS: JSON.stringify(targets), CANARY_CONCURRENCY: '40' }));
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toMatch(
      /^round full, fits by rotation: the busiest round has 400 due target\(s\) .* and fits \d+ .*; in rotation each due target is probed once every 2 rounds \(every 20 min instead of 10 min\)\. What would fit every round: CANARY_CONCURRENCY=\d+; or "every": "\d+m" on the 400 target\(s\) due every round; or at most \d+ target\(s\)/m,
    );
  });

  it('refuses a deployment probed by more targets than its budget admits', async () => {
    // one deployment, six targets; a 120 s deadline lets a start wait 66 s: 2 at once, 2 a minute later, 2 refused
    const targets = fleet(6, 6);
    const r = await runCli(
      ['validate'],
      env({ CANARY_TARGETS: JSON.stringify(targets), CANARY_ROUND_DEADLINE_MS: '120000' }),
    );
    expect(r.code, r.out).toBe(2);
    expect(r.stdout).toMatch(
      /^ {2}deployment gpt-realtime-0 on canary-swe\.openai\.azure\.com\s+6\s+6 \(12\)\s+2\s+864 \(1,728\)\s+2,000\s+OVER/m,
    );
    expect(r.stderr).toMatch(
      /deployment gpt-realtime-0 on canary-swe\.openai\.azure\.com: 6 session starts planned in its busiest minute, 2 a minute allowed/,
    );
    expect(r.stderr).toContain("CANARY_MAX_SESSIONS_PER_MINUTE / the targets' maxSessionsPerMinute");
    expect(r.out).not.toContain(KEY);
  });
});

describe('cost: sessions beside the money', () => {
  it('prints every deployment and key against its budget, from every region, and refuses what does not fit', async () => {
    const file = await targetsFile(fleet(2));
    const ok = await runCli(['cost', '--targets', file], env());
    expect(ok.code, ok.out).toBe(0);
    expect(ok.stdout).toMatch(/^total\s/m);
    expect(ok.stdout).toMatch(
      /^ {2}deployment gpt-realtime-0 on canary-swe\.openai\.azure\.com\s+1\s+1 \(2\)\s+2\s+144 \(288\)\s+2,000\s+fits$/m,
    );
    expect(ok.stdout).toMatch(/^ {2}key AOAI_KEY\s+2\s+2 \(4\)\s+100\s+288 \(576\)\s+none\s+fits$/m);
    // three regions share each deployment's budget: 3 starts at each round's start, 2 a minute
    const three = await runCli(['cost', '--targets', file, '--regions', 'a,b,c'], env());
    expect(three.stdout).toMatch(/^ {2}deployment gpt-realtime-0 .*\s+3 \(6\)\s+2\s+432 \(864\)\s+2,000\s+near/m);
    // an OpenAI-style daily budget the plan cannot hold
    const over = await runCli(['cost', '--targets', file], env({ CANARY_KEY_MAX_SESSIONS_PER_DAY: '200' }));
    expect(over.code, over.out).toBe(2);
    expect(over.stdout).toMatch(/^total\s/m); // the money is still printed
    expect(over.stderr).toContain('the plan does not fit (1 problem(s)):');
    expect(over.stderr).toContain(
      'key AOAI_KEY: 288 session starts a day planned, 200 allowed: the rest of each day would be "not probed: quota"',
    );
    const json = await runCli(['cost', '--targets', file, '--json'], env());
    const parsed = JSON.parse(json.stdout) as { sessions: { scopes: { label: string; perDay: number }[] } };
    expect(parsed.sessions.scopes.find((s) => s.label === 'key AOAI_KEY')?.perDay).toBe(288);
    for (const r of [ok, three, over, json]) expect(r.out).not.toContain(KEY);
  });

  it('docs/deploy.md shows the sessions cost prints for the shipped bicepparam', async () => {
    const r = await runCli(['cost', '--bicepparam', 'infra/main.bicepparam'], env());
    expect(r.code, r.out).toBe(0);
    const sessions = r.stdout.slice(r.stdout.indexOf('\nsessions: ') + 1).trimEnd();
    expect(sessions).toMatch(/^sessions: 3 target\(s\), ≈ 1,296 session starts a day from 3 regions/);
    expect(await readFile('docs/deploy.md', 'utf8')).toContain(sessions);
  });
});
