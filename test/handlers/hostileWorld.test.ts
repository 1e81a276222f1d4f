/**
 * Fault injection against the real handler with a real InvocationContext: Azurite behind a TCP proxy that
 * refuses, resets, hangs and slows connections; hostile WebSocket targets (a key echoed in an error message and
 * a response header, frames nested 10 000 deep); misconfigured targets; a webhook receiver that hangs, 429s,
 * 500s and 400s. Asserted every time: the round ends within its deadline (+ a small margin), every target other
 * than the hostile one is published and alerted, nothing already recorded is lost (written or spooled), no
 * notification is posted twice, and no secret appears in any blob, spool file, log line, payload or printed table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RunningSimulator } from '../../src/sim/index.js';
import type { RunSummary } from '../../src/runSummary.js';
import type { AlertState } from '../../src/sinks/alerts/alertState.js';
import { DIGEST_AFTER } from '../../src/sinks/alerts/digest.js';
import { roundTable } from '../../src/cli/roundTable.js';
import { renderRunHtml } from '../../src/report/runHtml.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../helpers/azurite.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';
import { hostileServer, type Hostile } from '../probe/hostileServer.js';
import { allBlobs, invoke, SIM_KEY, startShortSim } from './roundFixture.js';

const HOSTILE_KEY = 'hk-7f3a9c2e-echoed-back-by-the-service-51d0';
const DEADLINE_MS = 20_000;
const MARGIN_MS = 4_000;
/**
 * The seven-target round's deadline. Since rounds plan what fits (runner/roundFit.ts), 20 s does not hold its seven
 * sessions (six of ~12.3 s expected and unknown-prompt's ~26.8 s, against 7 × 16 s × 0.8 = 89.6 s planned): one
 * target went to the next round as "not probed: round full" — right for the product, but which one followed the
 * rotation, i.e. the clock, and its outcome is this test's to check. 40 s plans them all with room for a slow start.
 */
const HOSTILE_DEADLINE_MS = 40_000;

let azurite: Azurite;
let proxy: TcpProxy;
let hook: WebhookReceiver;
let sim: RunningSimulator;
let echo: Hostile;
let deep: Hostile;
beforeAll(async () => {
  [azurite, hook, sim] = await Promise.all([startAzurite(), startWebhookReceiver(), startShortSim()]);
  proxy = await startTcpProxy(azurite.port);
  echo = await hostileServer({
    reject: {
      status: 401,
      body: `{"error":{"message":"Incorrect API key provided: ${HOSTILE_KEY}"}}`,
      headers: { 'x-echo-key': HOSTILE_KEY },
    },
  });
  const nested = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  deep = await hostileServer({
    onConnection: (ws) => {
      ws.send(JSON.stringify({ type: 'session.created', event_id: 'e1', session: { id: 'sess_deep' } }));
      ws.on(
        'message',
        () => ws.readyState === ws.OPEN && ws.send(`{"type":"response.created","event_id":"e2","deep":${nested}}`),
      );
    },
  });
});
afterAll(async () =>
  Promise.all([
    azurite?.stop(),
    hook?.close(),
    sim?.close(),
    proxy?.close(),
    echo?.close(),
    deep?.close(),
    cleanupTempDirs(),
  ]),
);

const viaProxy = (): string =>
  `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${proxy.port}/${AZURITE_ACCOUNT};`;

function healthyPair(): object[] {
  return [
    {
      name: 'openai-direct',
      endpoint: sim.url('openai-ga', { scenario: 'fast' }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
      group: 'g',
      baseline: true,
    },
    {
      name: 'azure-fc',
      endpoint: sim.url('azure-ga', { scenario: 'gap' }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
      group: 'g',
    },
  ];
}

async function env(region: string, over: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    SIM_KEY,
    HOSTILE_KEY,
    CANARY_REGION: region,
    CANARY_STORAGE_CONNECTION_STRING: viaProxy(),
    CANARY_TURNS: '1',
    CANARY_PROMPTS: 'count-to-twenty',
    CANARY_TURN_TIMEOUT_MS: '8000',
    CANARY_SESSION_TIMEOUT_MS: '12000',
    CANARY_WEBHOOK_URL: hook.url,
    CANARY_WEBHOOK_FORMAT: 'json',
    CANARY_ROUND_DEADLINE_MS: String(DEADLINE_MS),
    CANARY_STORAGE_TIMEOUT_MS: '2000',
    CANARY_ALERT_RULE: '1/1',
    CANARY_SPOOL_DIR: await tempDir('rc-hostile-spool-'),
    CANARY_TARGETS: JSON.stringify(healthyPair()),
    ...over,
  };
}

/** Every byte the round left behind, as text: blobs (gunzipped), spool files, log lines, payloads. */
async function everything(spoolDir: string, logs: string[], printed: string): Promise<string> {
  const blobs = [...(await allBlobs(azurite.connectionString)).values()].map((b) =>
    (b[0] === 0x1f ? gunzipSync(b) : b).toString('latin1'),
  );
  const spool: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else {
        const b = await readFile(join(dir, e.name));
        spool.push((b[0] === 0x1f ? gunzipSync(b) : b).toString('latin1'));
      }
    }
  };
  await walk(spoolDir);
  return [
    ...blobs,
    ...spool,
    ...logs,
    ...hook.requests.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`),
    printed,
  ].join('\n');
}

/** A model's retirement notice (its date depends on the day the suite runs): not an alert of these tests. */
const retirementNotice = (body: string): boolean => body.includes('"category":"lifecycle"');

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = Date.now();
  const r = await fn();
  return [r, Date.now() - t];
}

describe('a hostile world', () => {
  it('black-holed storage: the round holds its deadline, everything is spooled, and the next round uploads it and counts its verdicts', async () => {
    proxy.mode('hang');
    const e = await env('hang-region', { CANARY_ALERT_RULE: '2/3' });
    const [down, ms] = await timed(() => invoke(e));
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(down.result.outcomes.map((o) => o.summary.target).sort()).toEqual(['azure-fc', 'openai-direct']);
    expect(down.logs.join('\n')).toMatch(/spooled/);
    expect(hook.requests.filter((r) => r.body.includes('hang-region') && !retirementNotice(r.body))).toHaveLength(0); // 1 of 2 needed: no alert yet
    const spooled = await readdir(join(e.CANARY_SPOOL_DIR!, 'verdicts', 'hang-region', 'azure-fc'));
    expect(spooled).toHaveLength(1);

    proxy.mode('pass');
    const up = await invoke(e);
    const blobs = await allBlobs(azurite.connectionString);
    // each target's report (a failing target's confirmation probe, when the deadline allowed one, is in its confirm-2/)
    expect(
      [...blobs.keys()].filter(
        (k) =>
          k.includes(`/${down.result.runId}/hang-region/`) && k.endsWith('report.json') && !k.includes('/confirm-'),
      ),
    ).toHaveLength(2);
    const state = JSON.parse(blobs.get('state/hang-region/azure-fc.json')!.toString()) as AlertState;
    expect(state.recent.map((r) => r.runId)).toEqual([down.result.runId, up.result.runId]); // in run order
    expect(state.open).toBeDefined(); // the spooled verdict counted: 2 of 2 failing
    const alerts = hook.requests.filter((r) => r.body.includes('"region":"hang-region"') && !retirementNotice(r.body));
    expect(alerts).toHaveLength(1);
    expect(up.logs.join('\n')).toMatch(/1 verdict\(s\) recorded during a storage outage applied/);
  }, 120_000);

  it.each([
    ['refuse', 0],
    ['reset', 0],
    ['slow', 400],
  ] as const)(
    'storage that %s connections: the round holds its deadline and nothing is lost',
    async (mode, delay) => {
      proxy.mode(mode, delay);
      const region = `${mode}-region`;
      const e = await env(region);
      const [r, ms] = await timed(() => invoke(e));
      expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      expect(r.result.outcomes).toHaveLength(2);
      proxy.mode('pass');
      await invoke({ ...e, CANARY_TARGETS: JSON.stringify([healthyPair()[0]]) }); // uploads the spool
      const blobs = await allBlobs(azurite.connectionString);
      const index = [...blobs]
        .filter(([k]) => k.startsWith('index/'))
        .flatMap(([, b]) => b.toString().trim().split('\n'))
        .map((l) => JSON.parse(l) as RunSummary);
      const first = index
        .filter((s) => s.runId === r.result.runId && s.region === region)
        .map((s) => s.target)
        .sort();
      expect(first).toEqual(['azure-fc', 'openai-direct']);
      for (const t of ['openai-direct', 'azure-fc'])
        expect(blobs.has(`${r.result.outcomes.find((o) => o.summary.target === t)!.summary.reportPath}`)).toBe(true);
    },
    120_000,
  );

  it('a webhook that accepts and never answers: the round holds its deadline, and the hung notification is not posted again', async () => {
    proxy.mode('pass');
    const e = await env('hook-region');
    hook.script(() => ({ hang: true }));
    const [first, ms] = await timed(() => invoke(e));
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(first.result.notificationsDelivered).toBe(0);
    const hung = hook.requests
      .filter((q) => q.body.includes('"region":"hook-region"'))
      .map((q) => q.json<{ id: string }>().id);
    expect(hung.length).toBeGreaterThan(0);
    hook.script(undefined);
    await invoke(e); // while its claim is leased, an overlapping or later round must not post it a second time
    for (const id of new Set(hung)) expect(hook.countById().get(id) ?? 0).toBeLessThanOrEqual(1);
    expect([...hook.countById().values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('hostile and misconfigured targets fail themselves only; everything else is published and alerted; no secret anywhere', async () => {
    proxy.mode('pass');
    const targets = [
      ...healthyPair(),
      { name: 'hostile-echo', endpoint: echo.url, auth: 'api-key', secretSetting: 'HOSTILE_KEY' },
      { name: 'hostile-deep', endpoint: deep.url, auth: 'api-key', secretSetting: 'HOSTILE_KEY' },
      {
        name: 'render-bomb',
        endpoint: sim.url('azure-ga', { scenario: 'fast' }),
        auth: 'api-key',
        secretSetting: 'SIM_KEY',
      },
      {
        name: 'missing-secret',
        endpoint: sim.url('azure-ga', { scenario: 'fast' }),
        auth: 'api-key',
        secretSetting: 'NOT_SET_ANYWHERE',
      },
      {
        name: 'unknown-prompt',
        endpoint: sim.url('azure-ga', { scenario: 'fast' }),
        auth: 'api-key',
        secretSetting: 'SIM_KEY',
        prompts: ['no-such-prompt'],
      },
    ];
    const e = await env('hostile-region', {
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_CONCURRENCY: '7',
      CANARY_ROUND_DEADLINE_MS: String(HOSTILE_DEADLINE_MS),
    });
    const renderReportHtml: typeof renderRunHtml = (report, trace) => {
      if (report.target.name === 'render-bomb') throw new RangeError('Maximum call stack size exceeded');
      return renderRunHtml(report, trace);
    };
    const before = hook.requests.length;
    const [r, ms] = await timed(() => invoke(e, { renderReportHtml }));
    expect(ms).toBeLessThan(HOSTILE_DEADLINE_MS + MARGIN_MS);
    expect(r.result.notProbed).toEqual([]); // every target fits the round
    const by = new Map(r.result.outcomes.map((o) => [o.summary.target, o.summary]));
    expect([...by.keys()].sort()).toEqual(targets.map((t) => (t as { name: string }).name).sort());
    expect(by.get('openai-direct')!.verdict).toBe('pass');
    expect(by.get('azure-fc')!.verdict).toBe('fail');
    expect(by.get('azure-fc')!.comparison).toMatch(/hosting layer/);
    expect(by.get('hostile-echo')).toMatchObject({ verdict: 'error', category: 'configuration' });
    expect(by.get('missing-secret')).toMatchObject({ verdict: 'error', category: 'configuration' });
    expect(by.get('missing-secret')!.headline).toMatch(
      /CANARY_TARGETS\[5\]\.secretSetting: app setting "NOT_SET_ANYWHERE" is not set/,
    );
    expect(by.get('unknown-prompt')).toMatchObject({ verdict: 'error', category: 'configuration' });
    expect(by.get('render-bomb')).toMatchObject({ verdict: 'error', category: 'incident' });
    expect(by.get('render-bomb')!.headline).toMatch(/rendering failed: RangeError: Maximum call stack size exceeded/);

    const blobs = await allBlobs(azurite.connectionString);
    const index = [...blobs]
      .filter(([k]) => k.startsWith('index/'))
      .flatMap(([, b]) => b.toString().trim().split('\n'))
      .map((l) => JSON.parse(l) as RunSummary)
      .filter((s) => s.runId === r.result.runId);
    // an index line for every target, errors included (an append retried after an ambiguous failure may repeat a line: readers de-duplicate)
    expect([...new Set(index.map((s) => s.target))].sort()).toEqual([...by.keys()].sort());
    const bomb = by.get('render-bomb')!;
    expect(blobs.has(bomb.reportPath.replace('report.json', 'events.jsonl.gz'))).toBe(true); // its trace kept
    const missing = JSON.parse(blobs.get(by.get('missing-secret')!.reportPath)!.toString()) as {
      error: { stage: string; fix: string };
    };
    expect(missing.error).toMatchObject({ stage: 'configuration' });
    expect(missing.error.fix).toMatch(/Set the app setting/);
    expect(blobs.get('index.html')!.toString()).toContain('missing-secret'); // a dashboard cell

    const posted = hook.requests
      .slice(before)
      .map((q) =>
        q.json<{
          id: string;
          region: string;
          target: string;
          category?: string;
          notice?: { facts: { title: string; value: string }[] };
        }>(),
      )
      .filter((p) => p.region === 'hostile-region' && p.category !== 'lifecycle');
    const failing = [...by.values()]
      .filter((s) => s.verdict !== 'pass')
      .map((s) => s.target)
      .sort();
    // every failing target alerted, each once: the first DIGEST_AFTER in a card each, the rest (six fail here) listed
    // in the round's one digest card
    expect(new Set(posted.map((p) => p.id)).size).toBe(posted.length);
    const own = posted.filter((p) => p.category !== 'digest').map((p) => p.target);
    expect(own).toHaveLength(Math.min(failing.length, DIGEST_AFTER));
    const folded = failing.filter((t) => !own.includes(t));
    expect(own.every((t) => failing.includes(t))).toBe(true);
    const digests = posted.filter((p) => p.category === 'digest');
    expect(digests.map((p) => p.target)).toEqual(folded.length ? ['round'] : []);
    const listed = digests[0]?.notice?.facts.find((f) => f.title === 'Alerts')?.value ?? '';
    for (const t of folded) expect(listed, t).toContain(`${t} — ${by.get(t)!.headline}`);
    expect(posted.find((p) => p.target === 'missing-secret')!.category).toBe('configuration');

    const all = await everything(e.CANARY_SPOOL_DIR!, r.logs, roundTable(r.result));
    expect(all).toContain('Incorrect API key provided'); // the echoed error is kept, only the key is masked
    for (const secret of [HOSTILE_KEY, SIM_KEY, hook.url, hook.secret]) expect(all).not.toContain(secret);
  }, 120_000);
});
