/**
 * A throw-away self-signed certificate for `localhost` / `127.0.0.1` / `::1`, made with the `openssl` CLI in
 * a private temp directory that is deleted right away: the key lives only in memory and is never written
 * into the repository.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../errors.js';

const run = promisify(execFile);

/** PEM certificate and private key. */
export interface SelfSignedCert {
  cert: string;
  key: string;
}

/** Generates a 2-day self-signed EC certificate. Throws ConfigError when `openssl` is missing or fails. */
export async function createSelfSignedCert(openssl = 'openssl'): Promise<SelfSignedCert> {
  const dir = await mkdtemp(join(tmpdir(), 'rt-canary-sim-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    await run(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      ],
      { timeout: 20_000 },
    );
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new ConfigError(
        'tls',
        `the simulator needs the "${openssl}" command to make a self-signed certificate, and it is not on PATH (install openssl, or run without tls)`,
      );
    }
    throw new ConfigError(
      'tls',
      `"${openssl}" failed to make a self-signed certificate: ${(e.stderr ?? e.message).trim()}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
