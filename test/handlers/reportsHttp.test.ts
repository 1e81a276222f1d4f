/**
 * The reports site against real Azurite, called with real HttpRequest / InvocationContext objects: it serves a
 * report, its audio (with byte ranges) and the dashboard with the right Content-Type and CSP to a caller App Service
 * Authentication signed in, and refuses an unsigned caller, path traversal, anything outside runs/ and the
 * dashboard, and every write. In local-folder mode a byte range reads only its bytes (measured in bytes the process
 * read, /proc/self/io), not the whole file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { BlobServiceClient } from '@azure/storage-blob';
import { byteRange, checkedPath, makeReportsHandler, REPORTS_CSP } from '../../src/handlers/reportsHttp.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';

const RUN = 'runs/2026/12/01/20261201T101000Z-abcd1234/swedencentral/azure-ga';
const REPORT = '<!doctype html><title>report</title><p>2.6 s silent gap</p>';
const WAV = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

let azurite: Azurite;
let env: Record<string, string>;

beforeAll(async () => {
  azurite = await startAzurite();
  const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('reports');
  await container.createIfNotExists();
  const put = (name: string, body: string | Buffer): Promise<unknown> =>
    container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
  await put(`${RUN}/report.html`, REPORT);
  await put(`${RUN}/turn-1.wav`, WAV);
  await put('index.html', '<!doctype html><title>dashboard</title>');
  await put('state/swedencentral/azure-ga.json', '{"secret":"state"}');
  await put('config/targets.json', '[]');
  env = {
    CANARY_REPORTS_HTTP: 'on',
    CANARY_STORAGE_CONNECTION_STRING: azurite.connectionString,
    CANARY_CONTAINER: 'reports',
  };
}, 60_000);

afterAll(async () => {
  await Promise.all([azurite?.stop(), cleanupTempDirs()]);
});

/** What App Service Authentication sets on a signed-in request: base64 JSON with the caller's claims. */
const PRINCIPAL = Buffer.from(
  JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'name', val: 'oncall@example.com' }], name_typ: 'name' }),
).toString('base64');

function get(
  route: string,
  path: string | undefined,
  headers: Record<string, string> = {},
  method = 'GET',
  principal: string | null = PRINCIPAL,
): HttpRequest {
  return new HttpRequest({
    method,
    url: `http://127.0.0.1/${route}${path ? `/${path}` : ''}`,
    headers: { ...(principal === null ? {} : { 'x-ms-client-principal': principal }), ...headers },
    params: path === undefined ? {} : { path },
  });
}

async function call(
  req: HttpRequest,
  e: Record<string, string> = env,
): Promise<{ res: HttpResponseInit; headers: Headers; body: Buffer }> {
  const handler = makeReportsHandler(() => e);
  const res = await handler(req, new InvocationContext({ functionName: 'reports' }));
  const chunks: Buffer[] = [];
  const b = res.body as unknown;
  if (typeof b === 'string') chunks.push(Buffer.from(b));
  else if (Buffer.isBuffer(b)) chunks.push(b);
  else if (b && typeof (b as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function')
    for await (const c of b as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
  return { res, headers: new Headers(res.headers as Record<string, string>), body: Buffer.concat(chunks) };
}

describe('reports HTTP function', () => {
  it('serves a run report as HTML with the CSP and nosniff', async () => {
    const { res, headers, body } = await call(get('reports', `${RUN}/report.html`));
    expect(res.status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('content-security-policy')).toBe(REPORTS_CSP);
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(body.toString()).toBe(REPORT);
  });

  it('serves the dashboard at /dashboard (no path) and at reports/index.html', async () => {
    for (const req of [get('dashboard', undefined), get('reports', 'index.html')]) {
      const { res, headers, body } = await call(req);
      expect(res.status).toBe(200);
      expect(headers.get('content-type')).toContain('text/html');
      expect(body.toString()).toContain('<title>dashboard</title>');
    }
  });

  it('serves audio with byte ranges, so the players can seek', async () => {
    const whole = await call(get('reports', `${RUN}/turn-1.wav`));
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.body.equals(WAV)).toBe(true);
    const part = await call(get('reports', `${RUN}/turn-1.wav`, { range: 'bytes=100-199' }));
    expect(part.res.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(part.body.equals(WAV.subarray(100, 200))).toBe(true);
    const bad = await call(get('reports', `${RUN}/turn-1.wav`, { range: 'bytes=5000-' }));
    expect(bad.res.status).toBe(416);
  });

  it('refuses path traversal, other folders of the container and unknown files', async () => {
    for (const path of [
      `${RUN}/../../../../../../../state/swedencentral/azure-ga.json`,
      'runs/..%2Fstate%2Fswedencentral%2Fazure-ga.json',
      'state/swedencentral/azure-ga.json',
      'config/targets.json',
      '../reports/index.html',
      `${RUN}/report.html%00.txt`,
      `${RUN}//report.html`,
      `${RUN}/secrets.txt`,
      '/etc/passwd',
    ]) {
      const { res, body } = await call(get('reports', path));
      expect(res.status, path).toBe(404);
      expect(body.toString(), path).not.toContain('secret');
    }
  });

  it('answers 404 for a missing artifact and 405 for writes', async () => {
    expect((await call(get('reports', `${RUN}/turn-9.wav`))).res.status).toBe(404);
    const post = await call(get('reports', `${RUN}/report.html`, {}, 'POST'));
    expect(post.res.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('stays off unless CANARY_REPORTS_HTTP=on', async () => {
    const { res, body } = await call(get('reports', `${RUN}/report.html`), { ...env, CANARY_REPORTS_HTTP: '' });
    expect(res.status).toBe(404);
    expect(body.toString()).toContain('CANARY_REPORTS_HTTP');
  });

  it('serves nobody App Service Authentication did not sign in, with the setting on', async () => {
    for (const principal of [null, '', 'not-base64-json', Buffer.from('{"claims":"x"}').toString('base64')]) {
      const { res, body } = await call(get('reports', `${RUN}/report.html`, {}, 'GET', principal));
      expect(res.status, String(principal)).toBe(401);
      expect(body.toString()).toContain('x-ms-client-principal');
      expect(body.toString()).not.toContain('2.6 s silent gap');
    }
    const dashboard = await call(get('dashboard', undefined, {}, 'GET', null));
    expect(dashboard.res.status).toBe(401);
  });

  it('says the store could not be read when it is down, without leaking the connection string', async () => {
    const down =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LWtleQ==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;';
    const { res, body } = await call(get('reports', `${RUN}/report.html`), {
      ...env,
      CANARY_STORAGE_CONNECTION_STRING: down,
    });
    expect(res.status).toBe(502);
    expect(body.toString()).not.toContain('c2VjcmV0LWtleQ');
  }, 60_000);
});

/** Bytes this process has read through read(2) and friends so far (Linux). */
const bytesRead = (): number => Number(/rchar:\s*(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
const MB = 1024 * 1024;

describe('local-folder mode (CANARY_OUTPUT_DIR)', () => {
  it.runIf(existsSync('/proc/self/io'))(
    '20 concurrent 1-byte ranges of a 200 MB WAV read their bytes, not the file 20 times',
    async () => {
      const dir = await tempDir('rc-reports-');
      const path = `${RUN}/turn-2.wav`;
      const file = join(dir, ...path.split('/'));
      await mkdir(dirname(file), { recursive: true });
      // sparse: 200 MB long, no disk used; byte i × 10 MB + 7 holds i + 1, so each answer is checkable
      const at = (i: number): number => i * 10 * MB + 7;
      const fh = await open(file, 'w');
      await fh.truncate(200 * MB);
      for (let i = 0; i < 20; i++) await fh.write(Buffer.from([i + 1]), 0, 1, at(i));
      await fh.close();
      const local = { CANARY_REPORTS_HTTP: 'on', CANARY_OUTPUT_DIR: dir };

      const before = bytesRead();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call(get('reports', path, { range: `bytes=${at(i)}-${at(i)}` }), local)),
      );
      const read = bytesRead() - before;

      answers.forEach(({ res, headers, body }, i) => {
        expect(res.status).toBe(206);
        expect(headers.get('content-range')).toBe(`bytes ${at(i)}-${at(i)}/${200 * MB}`);
        expect([...body]).toEqual([i + 1]);
      });
      // reading the whole file per request is 4 GB; the ranges themselves are 20 bytes (plus the process's own chatter)
      expect(read).toBeLessThan(4 * MB);
    },
  );
});

describe('path and range rules', () => {
  it('maps the empty path to the dashboard and accepts plain run artifacts only', () => {
    expect(checkedPath(undefined)).toEqual({ path: 'index.html' });
    expect(checkedPath(`${RUN}/evidence.zip`)).toEqual({ path: `${RUN}/evidence.zip` });
    expect(checkedPath(`${RUN}/.hidden.json`)).toHaveProperty('refused');
    expect(checkedPath('runs/%E0%A4%A')).toHaveProperty('refused');
  });

  it('reads suffix and open ranges', () => {
    expect(byteRange('bytes=-100', 1000)).toEqual([900, 999]);
    expect(byteRange('bytes=900-', 1000)).toEqual([900, 999]);
    expect(byteRange(null, 1000)).toBeUndefined();
    expect(byteRange('bytes=1000-', 1000)).toBeNull();
  });
});
