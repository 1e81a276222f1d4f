/**
 * Report links against Azurite with HTTPS + `--oauth basic`: the blob store authenticates with an Entra
 * token credential (a fake, unsigned token Azurite accepts), gets a user-delegation key and signs a
 * read-only SAS. The link must read the blob, must not write it, and must be a user-delegation SAS
 * (`skoid`/`sktid` present), i.e. never signed with the account key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createBlobStore } from '../../src/store/blobStore.js';
import type { ArtifactStore } from '../../src/store/artifactStore.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { fakeEntraCredential, type FakeCredential } from '../helpers/entraToken.js';
import { selfSignedCert, trustCertificate, type TestCert } from '../helpers/tlsCert.js';

let azurite: Azurite | undefined;
let cert: TestCert | undefined;
let store: ArtifactStore;
let credential: FakeCredential;
const now = new Date();

beforeAll(async () => {
  cert = await selfSignedCert();
  if (!cert) return; // no openssl: the tests below are skipped
  trustCertificate(cert.cert);
  azurite = await startAzurite({ https: cert, oauth: true });
  credential = fakeEntraCredential({ oid: 'aaaaaaaa-1111-2222-3333-bbbbbbbbbbbb' });
  store = createBlobStore(
    { kind: 'account-url', accountUrl: azurite.accountUrl, clientId: undefined, container: 'canary' },
    { credential, now: () => now },
  );
});
afterAll(async () => {
  await azurite?.stop();
  await cert?.dispose();
});

describe('user-delegation report links', () => {
  it('issues a read-only user-delegation SAS that opens the report and cannot write', async (ctx) => {
    if (!azurite) return ctx.skip();
    const path = 'runs/2026/11/02/run-1/swedencentral/aoai/report.html';
    await store.put(path, '<h1>report</h1>', 'text/html; charset=utf-8');
    expect(credential.scopes).toContain('https://storage.azure.com/.default');

    const link = (await store.readLink(path, 30))!;
    const url = new URL(link);
    expect(url.protocol).toBe('https:');
    expect(url.pathname).toBe(`/devstoreaccount1/canary/${path}`);
    expect(url.searchParams.get('sp')).toBe('r');
    expect(url.searchParams.get('skoid')).toBe('aaaaaaaa-1111-2222-3333-bbbbbbbbbbbb'); // signed with a delegation key
    expect(url.searchParams.get('sig')).toBeTruthy();
    const expiry = Date.parse(url.searchParams.get('se')!);
    expect(expiry - now.getTime()).toBeGreaterThan(29 * 60_000);
    expect(expiry - now.getTime()).toBeLessThanOrEqual(30 * 60_000 + 1000);

    const read = await request(link);
    expect(read.statusCode).toBe(200);
    expect(await read.body.text()).toBe('<h1>report</h1>');
    expect(read.headers['content-type']).toBe('text/html; charset=utf-8');

    const write = await request(link, { method: 'PUT', body: 'tampered', headers: { 'x-ms-blob-type': 'BlockBlob' } });
    await write.body.dump();
    expect(write.statusCode).toBe(403);
    expect((await store.get(path))!.toString()).toBe('<h1>report</h1>');
  });

  it('lets the report page play the WAVs beside it (container scope) but only the report with blob scope', async (ctx) => {
    if (!azurite) return ctx.skip();
    const dir = 'runs/2026/11/02/run-2/swedencentral/aoai/';
    await store.put(`${dir}report.html`, '<h1>r</h1>', 'text/html; charset=utf-8');
    await store.put(`${dir}turn-1.wav`, Buffer.from('RIFFwav'), 'audio/wav');
    const query = new URL((await store.readLink(`${dir}report.html`, 30))!).search;
    const sibling = await request(`${azurite.accountUrl}/canary/${dir}turn-1.wav${query}`);
    expect(sibling.statusCode).toBe(200);
    await sibling.body.dump();
    const write = await request(`${azurite.accountUrl}/canary/${dir}new.wav${query}`, {
      method: 'PUT',
      body: 'x',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
    });
    await write.body.dump();
    expect(write.statusCode).toBe(403);

    const settings = {
      kind: 'account-url',
      accountUrl: azurite.accountUrl,
      clientId: undefined,
      container: 'canary',
    } as const;
    const strict = createBlobStore(settings, { credential, now: () => now, linkScope: 'blob' });
    const strictQuery = new URL((await strict.readLink(`${dir}report.html`, 30))!).search;
    const refused = await request(`${azurite.accountUrl}/canary/${dir}turn-1.wav${strictQuery}`);
    await refused.body.dump();
    expect(refused.statusCode).toBe(403);
  });

  it('reuses one delegation key for many links and clamps the lifetime to 7 days', async (ctx) => {
    if (!azurite) return ctx.skip();
    const tokensBefore = credential.scopes.length;
    const links = await Promise.all(['a', 'b', 'c'].map((n) => store.readLink(`runs/${n}.html`, 60)));
    expect(new Set(links.map((l) => new URL(l!).searchParams.get('skt')))).toHaveLength(1);
    const long = new URL((await store.readLink('runs/a.html', 60 * 24 * 30))!);
    expect(Date.parse(long.searchParams.get('se')!) - now.getTime()).toBeLessThanOrEqual(7 * 24 * 3_600_000);
    expect(credential.scopes.length - tokensBefore).toBeLessThanOrEqual(2); // tokens are cached by the SDK
  });
});
