/**
 * Client-side time bounds of the blob store on real parts (Azurite behind a TCP proxy): a black-holed endpoint
 * fails an operation within its budget instead of hanging, the spool then takes the write and answers reads at
 * once, and a store that answers slowly is marked unavailable too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/store/artifactStore.js';
import { createBlobStore } from '../../src/store/blobStore.js';
import { withSpool } from '../../src/store/spool.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../helpers/azurite.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';

let azurite: Azurite;
let proxy: TcpProxy;
beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await startTcpProxy(azurite.port);
});
afterAll(async () => Promise.all([azurite?.stop(), proxy?.close(), cleanupTempDirs()]));

const viaProxyConnection = (): string =>
  `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${proxy.port}/${AZURITE_ACCOUNT};`;
const viaProxy = (operationTimeoutMs = 800) =>
  createBlobStore(
    { kind: 'connection-string', connectionString: viaProxyConnection(), container: 'timeouts' },
    { operationTimeoutMs },
  );

describe('storage time bounds', () => {
  it('a black-holed store fails each operation within its budget; the spool takes writes and fails reads at once', async () => {
    proxy.mode('hang');
    const store = viaProxy();
    const t = Date.now();
    await expect(store.get('x.json')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - t).toBeLessThan(3_000);
    const spooled = withSpool(viaProxy(), await tempDir('rc-timeouts-'));
    const before = proxy.connections;
    await spooled.put('runs/a.json', '{}', 'application/json');
    expect(proxy.connections).toBeGreaterThan(before); // the first write tried the store
    expect(spooled.degraded).toBe(true);
    expect(await spooled.pending()).toBe(1);
    const tried = proxy.connections;
    const r = Date.now();
    await expect(spooled.readJson('history/x.json')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(spooled.updateJson('state/x.json', () => ({}))).rejects.toBeInstanceOf(StoreUnavailableError);
    // no network wait once it is known to be down: not one connection tried — counted, since a busy machine cannot
    // hold a wall-clock bound under one operation's 800 ms budget; and neither call hangs
    expect(proxy.connections).toBe(tried);
    expect(Date.now() - r).toBeLessThan(3_000);
    proxy.mode('pass');
    // the store is back: uploaded under a budget a busy machine's Azurite keeps (beside two busy loops a write took
    // longer than 800 ms and stayed in the spool)
    expect(
      await withSpool(viaProxy(30_000), (spooled.description.match(/spool: (.*)\)$/) ?? [])[1]!).flush(),
    ).toMatchObject({
      uploaded: 1,
      remaining: 0,
    });
  });

  it('a store that answers, but slowly, is marked unavailable and the rest of the run spools', async () => {
    proxy.mode('pass');
    const store = withSpool(viaProxy(), await tempDir('rc-timeouts-'), { slowWriteMs: 300 });
    await store.put('warm.json', '{}', 'application/json'); // container created at normal speed
    proxy.mode('slow', 400);
    await store.put('slow.json', '{}', 'application/json');
    expect(store.degraded).toBe(true);
    await store.put('after.json', '{}', 'application/json');
    expect(await store.pending()).toBeGreaterThanOrEqual(1);
    proxy.mode('pass');
  });
});
