/**
 * `expected_content_missing`: the transcript lacks a word the prompt's correct answer must contain
 * (matching rules in expectedContent.ts). Judged only when the response completed: a failed, cancelled or
 * incomplete answer lacks content because of that, and `response_not_completed` already says so.
 */
import type { Finding } from '../findings.js';
import { quote, tail } from '../format.js';
import { answered } from './audioContent.js';
import type { TurnDetector } from './types.js';

export const expectedContentMissing: TurnDetector = {
  name: 'expected_content_missing',
  detect(ctx): Finding[] {
    const expected = ctx.metrics.expected;
    if (!expected || !expected.missing.length || !answered(ctx) || ctx.metrics.terminal.status !== 'completed')
      return [];
    const terms = expected.missing.map(quote).join(', ');
    const t = ctx.metrics.transcript;
    const message = t.length
      ? `The ${t.length}-character ${t.source === 'output_text' ? 'text' : 'transcript'} does not contain ${terms}; it ends ${quote(tail(t.text))}.`
      : `The transcript is empty, so ${terms} could not be found.`;
    return [{ code: 'expected_content_missing', severity: 'major', turn: ctx.view.turn, message }];
  },
};
