/**
 * Reads the literal parameters of a `.bicepparam` file (`param name = <literal>`): strings, numbers, booleans,
 * arrays and objects in Bicep syntax (single quotes, newline-separated elements). Parameters whose value is an
 * expression (`readEnvironmentVariable(…)`, `json(…)`) are skipped. Enough for `realtime-canary cost` to read the
 * shipped example's regions, targets, schedule and extra app settings; not a Bicep evaluator.
 */
import { InputError } from '../errors.js';

export type BicepValue = string | number | boolean | null | BicepValue[] | { [k: string]: BicepValue };

/** The literal params of a bicepparam text, by name. */
export function bicepParams(text: string, source: string): Record<string, BicepValue> {
  const src = stripComments(text);
  const out: Record<string, BicepValue> = {};
  const re = /^param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    const p = new Parser(src, re.lastIndex, `${source}: param ${m[1]}`);
    const v = p.value();
    if (v !== undefined) out[m[1]!] = v;
  }
  return out;
}

/** Removes line comments and block comments that are outside single-quoted strings. */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === "'") inString = false;
    } else if (c === "'") {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out;
}

class Parser {
  constructor(
    private readonly s: string,
    private i: number,
    private readonly where: string,
  ) {}

  /** A literal, or undefined when the value is an expression. */
  value(): BicepValue | undefined {
    this.ws();
    const c = this.s[this.i];
    if (c === "'") return this.str();
    if (c === '[') return this.arr();
    if (c === '{') return this.obj();
    const word = /^(-?\d+(?:\.\d+)?|true|false|null)(?![\w(.])/.exec(this.s.slice(this.i));
    if (!word) return undefined;
    this.i += word[0].length;
    return word[1] === 'true' ? true : word[1] === 'false' ? false : word[1] === 'null' ? null : Number(word[1]);
  }

  private need(): BicepValue {
    const v = this.value();
    if (v === undefined)
      throw new InputError(this.where, `has a value that is not a literal near "${this.s.slice(this.i, this.i + 30)}"`);
    return v;
  }

  private str(): string {
    let out = '';
    for (this.i++; this.i < this.s.length; this.i++) {
      const c = this.s[this.i]!;
      if (c === '\\') out += this.s[++this.i] ?? '';
      else if (c === "'") {
        this.i++;
        return out;
      } else out += c;
    }
    throw new InputError(this.where, 'has an unterminated string');
  }

  private arr(): BicepValue[] {
    const out: BicepValue[] = [];
    this.i++;
    for (;;) {
      this.sep();
      if (this.s[this.i] === ']') return (void this.i++, out);
      if (this.i >= this.s.length) throw new InputError(this.where, 'has an unterminated array');
      out.push(this.need());
    }
  }

  private obj(): Record<string, BicepValue> {
    const out: Record<string, BicepValue> = {};
    this.i++;
    for (;;) {
      this.sep();
      if (this.s[this.i] === '}') return (void this.i++, out);
      const quoted = this.s[this.i] === "'";
      const key = quoted ? this.str() : /^[A-Za-z_][\w]*/.exec(this.s.slice(this.i))?.[0];
      if (!key)
        throw new InputError(
          this.where,
          `has an object key that is not a name near "${this.s.slice(this.i, this.i + 30)}"`,
        );
      if (!quoted) this.i += key.length;
      this.ws();
      if (this.s[this.i++] !== ':') throw new InputError(this.where, `expects ":" after "${key}"`);
      out[key] = this.need();
    }
  }

  private ws(): void {
    while (this.i < this.s.length && /[ \t]/.test(this.s[this.i]!)) this.i++;
  }

  private sep(): void {
    while (this.i < this.s.length && /[\s,]/.test(this.s[this.i]!)) this.i++;
  }
}
