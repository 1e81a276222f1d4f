import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { StoreUnavailableError, type ArtifactStore } from '../../src/store/artifactStore.js';
import { createBlobStore, type BlobStoreOptions } from '../../src/store/blobStore.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { withSpool, type SpoolEvent } from '../../src/store/spool.js';
import { deadStorageConnectionString, startAzurite, type Azurite } from '../helpers/azurite.js';

afterAll(cleanupTempDirs);

/** Fast retries so a dead store gives up in milliseconds, not the production ~10 s. */
const FAST: Partial<BlobStoreOptions> = {
  sdkRetry: { maxTries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 10, tryTimeoutInMs: 2_000 },
  attempts: 2,
  baseDelayMs: 5,
  maxDelayMs: 10,
};

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

describe('spool', () => {
  it('keeps writes locally while storage is down and uploads them, oldest first, on the next run', async () => {
    const spoolDir = await tempDir('spool-');
    const dead = createBlobStore(
      {
        kind: 'connection-string',
        connectionString: deadStorageConnectionString(await deadPort()),
        container: 'canary',
      },
      FAST,
    );
    const events: SpoolEvent[] = [];
    let clock = Date.parse('2026-11-02T10:00:00Z');
    const run1 = withSpool(dead, spoolDir, { log: (e) => events.push(e), now: () => new Date(clock++) });

    await run1.put('runs/a/report.json', '{"n":1}', 'application/json');
    expect(run1.degraded).toBe(true); // the first failure trips it: later writes don't wait for retries again
    await run1.put('runs/a/turn-1.wav', [Buffer.from([1]), new Uint8Array([2, 3])], 'audio/wav'); // a body in parts, spooled whole
    await run1.appendLine('index/2026-11-02.jsonl', '{"runId":"a"}');
    await run1.put('latest/r/t.json', '{"v":1}', 'application/json');
    await run1.put('latest/r/t.json', '{"v":2}', 'application/json');
    expect(await run1.pending()).toBe(5);
    expect(events.filter((e) => e.event === 'spooled')).toHaveLength(5);
    // Reads and state updates are not spooled: they report the outage.
    await expect(run1.get('latest/r/t.json')).rejects.toBeInstanceOf(StoreUnavailableError);

    const live = createBlobStore({
      kind: 'connection-string',
      connectionString: azurite.connectionString,
      container: 'canary',
    });
    await live.appendLine('index/2026-11-02.jsonl', '{"runId":"earlier"}');
    const run2 = withSpool(live, spoolDir);
    expect(await run2.flush()).toEqual({ uploaded: 5, remaining: 0, deadLettered: 0, deadLetters: 0 });
    expect(await run2.pending()).toBe(0);
    expect((await readdir(spoolDir)).filter((f) => !f.startsWith('.'))).toEqual([]);

    expect(await live.readJson('runs/a/report.json')).toEqual({ n: 1 });
    expect([...(await live.get('runs/a/turn-1.wav'))!]).toEqual([1, 2, 3]);
    expect(await live.readJson('latest/r/t.json')).toEqual({ v: 2 }); // oldest first: the newer write wins
    expect((await live.get('index/2026-11-02.jsonl'))!.toString()).toBe('{"runId":"earlier"}\n{"runId":"a"}\n');
  });

  it('a flush that hits a down store stops, keeps the rest, and trips the wrapper', async () => {
    const spoolDir = await tempDir('spool-');
    const dead = createBlobStore(
      {
        kind: 'connection-string',
        connectionString: deadStorageConnectionString(await deadPort()),
        container: 'canary',
      },
      FAST,
    );
    const first = withSpool(dead, spoolDir);
    await first.put('a.json', '1', 'application/json');
    await first.put('b.json', '2', 'application/json');
    const again = withSpool(dead, spoolDir);
    expect(await again.flush()).toEqual({ uploaded: 0, remaining: 2, deadLettered: 0, deadLetters: 0 });
    expect(again.degraded).toBe(true);
    await again.put('c.json', '3', 'application/json'); // straight to the spool, behind a and b
    expect(await again.pending()).toBe(3);
  });

  it('moves an entry the store rejects for good aside instead of blocking the queue', async () => {
    const spoolDir = await tempDir('spool-');
    const target = createLocalStore(await tempDir('spool-target-'));
    const withPut = (put: ArtifactStore['put']): ArtifactStore => ({
      description: 'test',
      put,
      get: (p) => target.get(p),
      appendLine: (p, l) => target.appendLine(p, l),
      readJson: (p) => target.readJson(p),
      updateJson: (p, fn) => target.updateJson(p, fn),
      list: (p) => target.list(p),
      readLink: (p, t) => target.readLink(p, t),
    });
    const picky = withPut(async (path, body, type) => {
      if (path === 'poison.json') throw Object.assign(new Error('400 InvalidHeaderValue'), { statusCode: 400 });
      return target.put(path, body, type);
    });
    const down = withPut(async () => Promise.reject(new StoreUnavailableError('put', 'x')));
    const first = withSpool(down, spoolDir);
    await first.put('poison.json', '{}', 'application/json');
    await first.put('fine.json', '{"ok":1}', 'application/json');
    expect(await withSpool(picky, spoolDir).flush()).toEqual({
      uploaded: 1,
      remaining: 0,
      deadLettered: 1,
      deadLetters: 1,
    });
    expect(await target.readJson('fine.json')).toEqual({ ok: 1 });
    const dead = await readdir(join(spoolDir, 'dead'));
    expect(dead).toHaveLength(2);
    const meta = dead.find((f) => f.endsWith('.json'))!;
    expect(JSON.parse(await readFile(join(spoolDir, 'dead', meta), 'utf8'))).toMatchObject({
      op: 'put',
      path: 'poison.json',
    });
  });
});
