/** Command-line parsing shared by the commands: typed options, one-line usage errors that name the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../errors.js';
import { nameLooksLikeKey, shown } from '../config/shown.js';

export class UsageError extends ConfigError {}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageErrorOf(err, options);
  }
}

/** Node's parseArgs errors as one line that names the flag, with a "did you mean" for a mistyped one. */
function usageErrorOf(err: unknown, options: Options): UsageError {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    if (nameLooksLikeKey(flag.replace(/^-+/, '')))
      return new UsageError('arguments', 'an unknown flag looks like a secret (not shown; see --help)');
    const guess = closestFlag(flag.replace(/^-+/, '').replace(/=.*$/, ''), Object.keys(options));
    return new UsageError(flag, `is not a known flag${guess ? `; did you mean --${guess}?` : ''} (see --help)`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return new UsageError(flag, message.includes('argument missing') ? 'expects a value' : 'does not take a value');
  }
  return new UsageError('arguments', message.split('\n')[0]!.replace(/^.*?: /, ''));
}

/** The known flag nearest to `typed` (edit distance ≤ 1 per 3 letters, at least 1; or the only one it starts), if any. */
export function closestFlag(typed: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(typed.toLowerCase(), name);
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  if (best) return best.name;
  const prefixed = typed.length >= 3 ? known.filter((n) => n.startsWith(typed)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions; an adjacent swap counts as one). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** Refuses stray arguments (a command that takes none); one that looks like a key is not echoed. */
export function noPositionals(positionals: readonly string[]): void {
  const first = positionals[0];
  if (first === undefined) return;
  const quoted = nameLooksLikeKey(first)
    ? 'a value that looks like a secret (not shown)'
    : /^[\x20-\x7e]{1,80}$/.test(first)
      ? `"${first}"`
      : shown(first);
  throw new UsageError(
    'arguments',
    `unexpected argument ${quoted}${positionals.length > 1 ? ` and ${positionals.length - 1} more` : ''}; flags start with -- (see --help)`,
  );
}

/** A whole number from a flag, with a clear error. */
export function intFlag(name: string, raw: string | undefined, fallback: number, min = 0, max = Infinity): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name}`,
      `expects a whole number ${max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`}, got ${shown(raw)}`,
    );
  return n;
}

export function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new UsageError(`--${name}`, `expects one of ${allowed.join(', ')}, got ${shown(raw)}`);
  return raw as T;
}
