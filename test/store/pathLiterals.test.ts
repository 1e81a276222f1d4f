/**
 * layout.ts is the one place that knows where things are stored: no other file in src/ spells a stored path
 * (a folder of the layout, a run folder's file name) or a stored content type. Scans the source with the
 * TypeScript parser, so comments are not code and every string and template literal is seen.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const LAYOUT = 'src/store/layout.ts';

/**
 * Files that still spell their own paths, each with the change that moves them into layout.ts. The list only
 * shrinks: a new file with a stored path is a failure.
 */
const NOT_YET: Record<string, string> = {};

/**
 * Text that is a stored path: no spaces, and a layout folder at its start (followed by nothing, a name with an
 * extension, a substitution or more folders — not a word, as in the column head `runs/day`) or a run folder's
 * file at its end.
 */
const STORED_PATH = [
  /^(runs|state|latest|index|history|fingerprint|ledger|alerts|retirement|models)\/($|.*[*./])/,
  /^confirm-/,
  /(^|[/*])(report\.json|report\.html|index\.html|evidence\.zip|events\.jsonl(\.gz)?)$/,
  /[\w*-]\.(jsonl|wav|bin)$/,
];

export function isStoredPath(text: string): boolean {
  return !/\s/.test(text) && STORED_PATH.some((re) => re.test(text));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each literal of a file as text (a template's `${…}` as `*`), with its line; module specifiers left out. */
function literals(file: string): { text: string; line: number; node: ts.Node }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { text: string; line: number; node: ts.Node }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node))
      text = node.head.text + node.templateSpans.map((s) => `*${s.literal.text}`).join('');
    if (text !== undefined)
      out.push({ text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, node });
    node.forEachChild(visit);
  };
  visit(source);
  return out;
}

/** `x.put(path, body, 'text/html')`: a content type spelled at a write instead of the layout's `contentTypeFor`. */
function typedPut(node: ts.Node): boolean {
  const call = node.parent;
  return (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    call.expression.name.text === 'put' &&
    call.arguments.length === 3 &&
    call.arguments[2] === node
  );
}

function offences(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const name = relative(ROOT, file).split('\\').join('/');
    if (name === LAYOUT || name in NOT_YET) continue;
    for (const { text, line, node } of literals(file)) {
      if (isStoredPath(text)) found.push(`${name}:${line} builds the stored path "${text}"`);
      else if (typedPut(node)) found.push(`${name}:${line} stores with the content type "${text}"`);
    }
  }
  return found;
}

describe('stored paths', () => {
  it('are built only in src/store/layout.ts', () => {
    expect(offences()).toEqual([]);
  });

  it('recognizes what a path-building literal looks like, and what is prose', () => {
    const folders = [
      'runs/*/x',
      'runs/demo-history.html',
      'state/*/*.json',
      'latest/',
      'index/*.jsonl',
      'fingerprint/*',
      'ledger/*.json',
      'alerts/*',
    ];
    for (const p of [...folders, 'confirm-*/']) {
      expect(isStoredPath(p), p).toBe(true);
    }
    for (const p of [
      'report.json',
      '*/report.html',
      'index.html',
      'evidence.zip',
      'events.jsonl.gz',
      'turn-*.wav',
      '*-*.wav',
      'rtp-*.bin',
    ]) {
      expect(isStoredPath(p), p).toBe(true);
    }
    for (const p of [
      '.wav',
      'runs',
      'runs/day',
      'see report.json next to it',
      'events.jsonl, WAVs, report.json',
      'application/json',
      'package.json',
    ]) {
      expect(isStoredPath(p), p).toBe(false);
    }
  });
});
