/** Command-line parsing shared by the commands: typed options, usage errors that name the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../errors.js';

export class UsageError extends ConfigError {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError('arguments', (err as Error).message.replace(/^.*?: /, ''));
  }
}

/** A whole number from a flag, with a clear error. */
export function intFlag(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name}`, `expects a whole number ≥ ${min}, got "${raw}"`);
  return n;
}

export function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name}`, `expects one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}
