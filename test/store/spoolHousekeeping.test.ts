/**
 * The spool keeps nothing it cannot upload and drops nothing it could: a 403 while a role assignment propagates
 * waits for a later flush (not the dead/ folder); dead letters are retried with backoff on the spool's clock;
 * what a full disk left (a partial body, empty bodies, temp files) is removed; an entry no client can address is
 * quarantined while the rest is uploaded. Real Azurite, behind a proxy that answers 403 as Azure Storage does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreUnavailableError, type ArtifactStore } from '../../src/store/artifactStore.js';
import { createBlobStore } from '../../src/store/blobStore.js';
import { withSpool, type SpoolEvent } from '../../src/store/spool.js';
import { DEAD_LETTER_FIRST_MS } from '../../src/store/spoolHousekeeping.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../helpers/azurite.js';
import { startStorageFaults, type StorageFaults } from '../helpers/storageFaults.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';

let azurite: Azurite;
let faults: StorageFaults;
beforeAll(async () => {
  azurite = await startAzurite();
  faults = await startStorageFaults(azurite.port);
});
afterAll(async () => Promise.all([azurite?.stop(), faults?.close(), cleanupTempDirs()]));

const T0 = Date.parse('2026-11-02T10:00:00Z');
const viaFaults = (): ArtifactStore =>
  createBlobStore(
    {
      kind: 'connection-string',
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${faults.port}/${AZURITE_ACCOUNT};`,
      container: 'housekeeping',
    },
    { attempts: 1, operationTimeoutMs: 5_000 },
  );
const down: ArtifactStore = {
  ...createBlobStore({ kind: 'connection-string', connectionString: 'UseDevelopmentStorage=true', container: 'x' }),
  put: () => Promise.reject(new StoreUnavailableError('put', 'x')),
  appendLine: () => Promise.reject(new StoreUnavailableError('append', 'x')),
};

/** Spools `paths` (oldest first) while the store is down. */
async function spooled(spoolDir: string, paths: string[], at = T0): Promise<void> {
  const writer = withSpool(down, spoolDir, { now: () => new Date(at) });
  for (const p of paths) await writer.put(p, `{"path":${JSON.stringify(p)}}`, 'application/json');
}

describe('spool housekeeping', () => {
  it('keeps writes refused with 403 (a role assignment still propagating) for a later flush instead of dead-lettering them', async () => {
    const spoolDir = await tempDir('spool-403-');
    await spooled(spoolDir, ['runs/a/report.json', 'runs/a/report.html', 'latest/r/a.json']);
    faults.fault(() => 403);
    const events: SpoolEvent[] = [];
    const refused = withSpool(viaFaults(), spoolDir, { log: (e) => events.push(e), now: () => new Date(T0) });
    expect(await refused.flush()).toMatchObject({ uploaded: 0, remaining: 3, deadLettered: 0, deadLetters: 0 });
    expect(await readdir(join(spoolDir, 'dead')).catch(() => [])).toEqual([]);
    expect(events.find((e) => e.event === 'flush-stopped')).toMatchObject({ reason: expect.stringMatching(/403/) });
    expect(refused.degraded).toBe(true); // this round's writes queue behind the older ones

    faults.fault(undefined); // the role assignment arrived
    const store = viaFaults();
    expect(await withSpool(store, spoolDir).flush()).toMatchObject({ uploaded: 3, remaining: 0 });
    expect(await store.readJson('runs/a/report.json')).toEqual({ path: 'runs/a/report.json' });
  });

  it('retries a dead letter with backoff on the spool clock, and counts the ones waiting', async () => {
    const spoolDir = await tempDir('spool-dead-');
    await spooled(spoolDir, ['runs/b/report.json']);
    faults.fault(() => 400);
    let now = T0;
    const events: SpoolEvent[] = [];
    const flush = () =>
      withSpool(viaFaults(), spoolDir, { log: (e) => events.push(e), now: () => new Date(now) }).flush();
    expect(await flush()).toMatchObject({ uploaded: 0, deadLettered: 1, deadLetters: 1 });
    const first = events.find((e) => e.event === 'dead-lettered');
    expect(first).toMatchObject({
      path: 'runs/b/report.json',
      retryAt: new Date(T0 + DEAD_LETTER_FIRST_MS).toISOString(),
    });

    now = T0 + DEAD_LETTER_FIRST_MS - 60_000; // not yet: left alone, still counted
    faults.fault(undefined);
    expect(await flush()).toMatchObject({ uploaded: 0, deadLettered: 0, deadLetters: 1 });
    now = T0 + DEAD_LETTER_FIRST_MS + 1;
    expect(await flush()).toMatchObject({ uploaded: 1, deadLettered: 0, deadLetters: 0 });
    expect(events.some((e) => e.event === 'dead-letter-retried' && e.path === 'runs/b/report.json')).toBe(true);
    expect(await viaFaults().readJson('runs/b/report.json')).toEqual({ path: 'runs/b/report.json' });

    // refused again: the next wait doubles
    await spooled(spoolDir, ['runs/c/report.json'], now);
    faults.fault(() => 400);
    events.length = 0;
    await flush();
    now += DEAD_LETTER_FIRST_MS + 1;
    await flush();
    const again = events.filter((e) => e.event === 'dead-lettered').at(-1);
    expect(again).toMatchObject({ retryAt: new Date(now + 2 * DEAD_LETTER_FIRST_MS).toISOString() });
    faults.fault(undefined);
  });

  it('removes what a full disk left and quarantines an entry no client can address, uploading the rest', async () => {
    const spoolDir = await tempDir('spool-full-');
    // oldest first: the entry no client can address (a lone surrogate in its path), then two good ones
    await spooled(spoolDir, ['runs/x\uD800y/report.json', 'runs/d/report.json', 'index/2026-11-02.jsonl']);
    const old = String(T0 - 3_600_000).padStart(15, '0');
    await writeFile(join(spoolDir, `${old}-000001-aaaaaaaa.body`), Buffer.alloc(249_856, 7)); // partial body
    for (let i = 0; i < 14; i++)
      await writeFile(join(spoolDir, `${old}-${String(10 + i).padStart(6, '0')}-bbbbbbbb.body`), '');
    for (const n of ['000030-cccccccc', '000031-dddddddd'])
      await writeFile(join(spoolDir, `${old}-${n}.json.tmp`), '{"op":"pu');
    const events: SpoolEvent[] = [];
    const store = viaFaults();
    const r = await withSpool(store, spoolDir, { log: (e) => events.push(e), now: () => new Date(T0) }).flush();
    expect(r).toMatchObject({ uploaded: 2, remaining: 0, deadLettered: 1, deadLetters: 1 });
    expect(events.find((e) => e.event === 'leftovers-removed')).toMatchObject({ removed: 17 });
    expect(events.find((e) => e.event === 'dead-lettered')).toMatchObject({
      reason: expect.stringMatching(/quarantined/),
    });
    expect(await readdir(spoolDir)).toEqual(['dead']);
    expect((await readdir(join(spoolDir, 'dead'))).length).toBe(2);
    expect(await store.readJson('runs/d/report.json')).toEqual({ path: 'runs/d/report.json' });
  });

  it('leaves a fresh body alone: an overlapping process may be writing its metadata right now', async () => {
    const spoolDir = await tempDir('spool-fresh-');
    const fresh = String(T0 - 1_000).padStart(15, '0');
    await writeFile(join(spoolDir, `${fresh}-000001-eeeeeeee.body`), 'half');
    await withSpool(viaFaults(), spoolDir, { now: () => new Date(T0) }).flush();
    expect(await readdir(spoolDir)).toEqual([`${fresh}-000001-eeeeeeee.body`]);
  });
});
