import { afterAll, describe, expect, it, vi } from 'vitest';
import { readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { fileURLToPath } from 'node:url';
import { createLocalStore } from '../../src/store/localStore.js';
import { openStore } from '../../src/store/openStore.js';

afterAll(cleanupTempDirs);

const fresh = async () => createLocalStore(await tempDir('local-store-'));

describe('local store', () => {
  it('puts, gets, lists and appends like the blob store', async () => {
    const store = await fresh();
    await store.put('runs/a/report.json', '{"x":1}', 'application/json');
    await store.put('runs/a/turn-1.wav', Buffer.from([9, 8]), 'audio/wav');
    await store.put('latest/r/t.json', '{}', 'application/json');
    await store.put('runs/a/parts.wav', [Buffer.from('RIFF'), new Uint8Array([1, 2]), Buffer.from([3])], 'audio/wav');
    expect([...(await store.get('runs/a/parts.wav'))!]).toEqual([...Buffer.from('RIFF'), 1, 2, 3]);
    expect(await store.readJson('runs/a/report.json')).toEqual({ x: 1 });
    expect(await store.get('runs/a/missing')).toBeUndefined();
    expect(await store.list('runs/')).toEqual(['runs/a/parts.wav', 'runs/a/report.json', 'runs/a/turn-1.wav']);
    expect(await store.list('nope/')).toEqual([]);
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.appendLine('index/d.jsonl', `{"i":${i}}`)));
    const lines = (await store.get('index/d.jsonl'))!.toString().trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i),
    );
  });

  it('updateJson: concurrent in-process updaters lose nothing, and leave no lock or temp files', async () => {
    const store = await fresh();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.updateJson<number[]>('state/r/t.json', (cur) => [...(cur ?? []), i])),
    );
    const final = await store.readJson<number[]>('state/r/t.json');
    expect([...final!].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const root = fileURLToPath((await store.readLink('state', 1))!);
    expect(await readdir(join(root, 'r'))).toEqual(['t.json']);
  });

  it("a held lock is not broken when this process's clock is far ahead of the file system's (a share, a faked clock)", async () => {
    const store = await fresh();
    await store.updateJson<number[]>('state/r/t.json', () => [0]);
    const root = fileURLToPath((await store.readLink('state', 1))!);
    const lock = join(root, 'r', 't.json.lock');
    await writeFile(lock, ''); // another process holds it, taken a moment ago by the file system's clock
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 365 * 86_400_000, shouldAdvanceTime: true });
    try {
      let done = false;
      const update = store
        .updateJson<number[]>('state/r/t.json', (cur) => [...(cur ?? []), 1])
        .then(() => (done = true));
      await new Promise((r) => setTimeout(r, 400));
      expect(done, 'the update went ahead while the lock was held').toBe(false);
      await unlink(lock);
      await update;
    } finally {
      vi.useRealTimers();
    }
    expect(await store.readJson<number[]>('state/r/t.json')).toEqual([0, 1]);
  });

  it('refuses paths that escape the folder; links are file URLs (not SAS)', async () => {
    const store = await fresh();
    await expect(store.put('../outside.json', '{}', 'application/json')).rejects.toThrow(RangeError);
    await expect(store.get('/etc/passwd')).rejects.toThrow(RangeError);
    expect(await store.readLink('runs/a/report.html', 60)).toMatch(/^file:\/\/.*\/runs\/a\/report\.html$/);
  });

  it('openStore gives the same spooling interface for a local folder', async () => {
    const dir = await tempDir('open-store-');
    const store = openStore({ kind: 'local', dir: join(dir, 'out') }, join(dir, 'spool'));
    expect(await store.flush()).toEqual({ uploaded: 0, remaining: 0, deadLettered: 0, deadLetters: 0 });
    await store.put('latest/r/t.json', '{"ok":true}', 'application/json');
    expect(await createLocalStore(join(dir, 'out')).readJson('latest/r/t.json')).toEqual({ ok: true });
    expect(store.degraded).toBe(false);
  });
});
