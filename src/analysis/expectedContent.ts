/**
 * Does the transcript contain what a correct answer must contain? Case-insensitive and word-boundary aware:
 * a term matches a whole word or phrase, and a hyphenated compound is one word — "twenty" matches "Twenty." and
 * "twenty," but not "twenty-one" or "twentyfold". Hyphens and spaces inside a term are interchangeable
 * ("x-ray" matches "X ray"), and numbers 0–99 match as words or digits ("twenty" matches "20").
 */
import type { ExpectedContentMetrics } from './metrics.js';

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function numberWord(n: number): string {
  if (n < 20) return ONES[n]!;
  const tens = TENS[Math.floor(n / 10)]!;
  return n % 10 ? `${tens}-${ONES[n % 10]!}` : tens;
}

const WORD_TO_NUMBER = new Map<string, number>(Array.from({ length: 100 }, (_, n) => [numberWord(n), n]));

function normalize(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u2010\u2011]/g, '-');
}

/** The spellings a term may take: itself, and for a number 0–99 its digits or its words. */
function variants(term: string): string[] {
  const t = normalize(term).trim().replace(/\s+/g, ' ');
  const out = [t];
  const asWord = WORD_TO_NUMBER.get(t.replace(/ /g, '-'));
  if (asWord !== undefined) out.push(String(asWord));
  if (/^\d{1,2}$/.test(t)) out.push(numberWord(Number(t)));
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function termPattern(variant: string): RegExp {
  const body = variant.split(/[ -]+/).map(escape).join('[\\s-]+');
  return new RegExp(`(?<![\\p{L}\\p{N}]|[\\p{L}\\p{N}]-)${body}(?![\\p{L}\\p{N}]|-[\\p{L}\\p{N}])`, 'u');
}

/** Whether `term` occurs in `text` under the rules above. */
export function containsTerm(text: string, term: string): boolean {
  const hay = normalize(text);
  return variants(term).some((v) => v !== '' && termPattern(v).test(hay));
}

/** Expected-content metrics; null when nothing is expected. */
export function expectedContent(text: string, terms: readonly string[]): ExpectedContentMetrics | null {
  const wanted = terms.filter((t) => t.trim() !== '');
  if (!wanted.length) return null;
  const found = wanted.filter((t) => containsTerm(text, t));
  return { terms: [...wanted], found, missing: wanted.filter((t) => !found.includes(t)) };
}
