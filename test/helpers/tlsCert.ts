/**
 * A throw-away self-signed certificate for 127.0.0.1/localhost (made with the `openssl` CLI), and a way to
 * make this test process trust it (`tls.setDefaultCACertificates`, Node ≥ 22.19), for HTTPS test servers:
 * Azurite with OAuth, and an Application Insights ingestion stand-in (the exporter forces https).
 * `selfSignedCert()` resolves undefined when openssl is not installed, so callers can skip.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export interface TestCert {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  /** Deletes the files (the key is throw-away, but leave nothing behind). */
  dispose(): Promise<void>;
}

export async function selfSignedCert(): Promise<TestCert | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'canary-cert-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2'];
  args.push('-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
  const ok = await new Promise<boolean>((resolve) => execFile('openssl', args, (error) => resolve(!error)));
  const dispose = () => rm(dir, { recursive: true, force: true });
  if (!ok) {
    await dispose();
    return undefined;
  }
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), certPath, keyPath, dispose };
}

/** Adds `certPem` to this process's default trusted CAs (affects connections opened afterwards). */
export function trustCertificate(certPem: string): void {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), certPem]);
}
