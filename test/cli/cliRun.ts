/** Runs the built CLI (dist/src/cli.js) in a child process, as a user does; never throws for a non-zero exit. An `undefined` in `env` removes that variable. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(import.meta.dirname, '../../dist/src/cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr. */
  out: string;
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env }))
      if (v !== undefined && !(k in env && env[k] === undefined)) merged[k] = v;
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: merged, timeout: timeoutMs, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout, stderr, out: stdout + stderr });
      },
    );
  });
}
