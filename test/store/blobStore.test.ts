import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../src/store/blobStore.js';
import type { ArtifactStore } from '../../src/store/artifactStore.js';
import { gunzipText, gzipText } from '../../src/store/gzip.js';
import { dailyIndexPath, runPaths, turnWavName } from '../../src/store/layout.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';

let azurite: Azurite;
let store: ArtifactStore;

beforeAll(async () => {
  azurite = await startAzurite();
  store = createBlobStore({
    kind: 'connection-string',
    connectionString: azurite.connectionString,
    container: 'canary',
  });
});
afterAll(async () => azurite?.stop());

describe('blob store on Azurite', () => {
  it('creates the container on first use and round-trips text, bytes and gzip', async () => {
    const paths = runPaths('run-1', '2026-11-02T23:59:00Z', 'swedencentral', 'aoai sweden');
    const events = '{"kind":"meta"}\n{"kind":"frame","n":1}\n';
    await store.put(paths.events, await gzipText(events), 'application/gzip');
    await store.put(paths.reportJson, JSON.stringify({ ok: true }), 'application/json');
    await store.put(paths.dir + turnWavName(1), Buffer.from([0, 1, 2, 255]), 'audio/wav');

    expect(await gunzipText((await store.get(paths.events))!)).toBe(events);
    expect(await store.readJson(paths.reportJson)).toEqual({ ok: true });
    expect([...(await store.get(paths.dir + turnWavName(1)))!]).toEqual([0, 1, 2, 255]);
    expect(await store.get(`${paths.dir}missing.json`)).toBeUndefined();
    expect(await store.readJson('nothing/here.json')).toBeUndefined();
    expect(await store.list(paths.dir)).toEqual([paths.events, paths.reportJson, paths.dir + turnWavName(1)].sort());
    expect(await store.list('no-such-prefix/')).toEqual([]);
  });

  it('a read while another process rewrites the blob gets one whole version, never a torn one', async () => {
    // a ledger-sized JSON whose length changes with every write: a read that asks for the size first and then
    // for that many bytes (downloadToBuffer) returns a prefix of a longer version or runs past a shorter one
    const body = (n: number): string => JSON.stringify({ n, pad: 'x'.repeat((n % 7) * 300) });
    await store.put('torn/ledger.json', body(0), 'application/json');
    let writing = true;
    const writer = (async () => {
      for (let n = 1; writing; n++) await store.put('torn/ledger.json', body(n), 'application/json');
    })();
    const torn: string[] = [];
    for (let i = 0; i < 150; i++) {
      const text = (await store.get('torn/ledger.json'))!.toString('utf8');
      try {
        const v = JSON.parse(text) as { n: number; pad: string };
        if (text !== body(v.n)) torn.push(text.slice(0, 40));
      } catch {
        torn.push(text.slice(0, 40));
      }
    }
    writing = false;
    await writer;
    expect(torn).toEqual([]);
  }, 60_000);

  it('writes a body given in parts (a WAV header and its PCM) as one blob, byte for byte', async () => {
    const pcm = Buffer.alloc(300_000);
    for (let i = 0; i < pcm.length; i++) pcm[i] = (i * 7) & 0xff;
    const parts = [Buffer.from('header--'), pcm, new Uint8Array([1, 2, 3])];
    await store.put('parts/a.wav', parts, 'audio/wav');
    expect((await store.get('parts/a.wav'))!.equals(Buffer.concat(parts))).toBe(true);
  });

  it('appendLine creates the append blob once and keeps every line of concurrent appenders', async () => {
    const index = dailyIndexPath('2026-11-02T10:00:00Z');
    const other = createBlobStore({
      kind: 'connection-string',
      connectionString: azurite.connectionString,
      container: 'canary',
    });
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ runId: `r${i}`, target: 't' }));
    await Promise.all(lines.map((line, i) => (i % 2 ? store : other).appendLine(index, line)));
    const stored = (await store.get(index))!.toString('utf8');
    expect(stored.endsWith('\n')).toBe(true);
    expect(stored.trimEnd().split('\n').sort()).toEqual([...lines].sort());
  });

  it('updateJson: concurrent updaters against real ETag conflicts all land', async () => {
    const path = 'state/test/counter.json';
    const a = createBlobStore({
      kind: 'connection-string',
      connectionString: azurite.connectionString,
      container: 'canary',
    });
    const b = createBlobStore({
      kind: 'connection-string',
      connectionString: azurite.connectionString,
      container: 'canary',
    });
    let calls = 0;
    const add = (s: ArtifactStore, who: string) =>
      s.updateJson<{ seen: string[] }>(path, (cur) => {
        calls++;
        return { seen: [...(cur?.seen ?? []), who] };
      });
    // Two updaters at once (both start from "no blob": one create wins with If-None-Match: *, the other re-reads).
    await Promise.all([add(a, 'a0'), add(b, 'b0')]);
    // Then many at once through the If-Match path.
    await Promise.all(Array.from({ length: 8 }, (_, i) => add(i % 2 ? a : b, `x${i}`)));
    const final = await store.readJson<{ seen: string[] }>(path);
    expect(final!.seen.sort()).toEqual(['a0', 'b0', ...Array.from({ length: 8 }, (_, i) => `x${i}`)].sort());
    expect(calls).toBeGreaterThan(10); // conflicts really happened and were retried with fresh reads
  });

  it('readLink gives no link with a connection string (no account-key SAS, ever)', async () => {
    await store.put('runs/x/report.html', '<p>hi</p>', 'text/html');
    expect(await store.readLink('runs/x/report.html', 60)).toBeUndefined();
    expect(store.description).toBe('blob:devstoreaccount1/canary');
  });
});
