/**
 * Everything the command line prints passes through the one scrubber (../realtime/redact.ts) with every secret
 * the process knows: the values of the secret settings of its environment (../config/secrets.ts, read at start)
 * and those a command learns — the key or token `probe` sends, the secrets of a `--settings` file, the settings
 * targets name. {@link scrubPrinted} wraps stdout and stderr themselves, so no print path (console.log, an
 * error's stack, a library's warning) can go around it.
 */
import { envSecrets } from '../config/secrets.js';
import { scrub } from '../realtime/redact.js';

const known = new Set<string>();
let list: readonly string[] = [];

/** Secrets to scrub from everything printed from now on (values shorter than 4 characters are ignored). */
export function knowSecrets(values: Iterable<string>): void {
  for (const v of values) if (v.length >= 4) known.add(v);
  list = [...known];
}

/** Scrubs what is written to `stream` from now on; learns the secret settings of `env` first. */
export function scrubPrinted(stream: NodeJS.WritableStream, env: Record<string, string | undefined>): void {
  knowSecrets(envSecrets(env));
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const scrubbed = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string') return write(scrub(chunk, list), ...rest);
    if (chunk instanceof Uint8Array) {
      const encoding = typeof rest[0] === 'string' ? rest.slice(1) : rest;
      return write(scrub(Buffer.from(chunk).toString('utf8'), list), 'utf8', ...encoding);
    }
    return write(chunk, ...rest);
  };
  stream.write = scrubbed as typeof stream.write;
}
