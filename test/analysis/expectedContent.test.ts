import { describe, expect, it } from 'vitest';
import { containsTerm, expectedContent } from '../../src/analysis/expectedContent.js';

describe('expected content: case-insensitive, whole words', () => {
  it.each([
    ['… Nineteen. Twenty.', 'twenty', true],
    ['TWENTY!', 'twenty', true],
    ['twenty,', 'twenty', true],
    ['… nineteen, twenty-one.', 'twenty', false],
    ['twentyfold', 'twenty', false],
    ['plenty', 'twenty', false],
    ['… 19, 20.', 'twenty', true],
    ['… nineteen, twenty.', '20', true],
    ['… twenty one.', 'twenty-one', true],
    ['… 21.', 'twenty-one', true],
    ['… 2020.', 'twenty', false],
    ['Yankee, Zulu.', 'zulu', true],
    ['… whiskey, X-ray, yankee', 'x-ray', true],
    ['… whiskey, x ray, yankee', 'x-ray', true],
    ['Sunday’s quiet close', 'sunday', true],
    ['Neptune is the farthest from the sun.', 'neptune', true],
    ['', 'twenty', false],
  ])('%j contains %j: %s', (text, term, found) => {
    expect(containsTerm(text, term)).toBe(found);
  });

  it('lists found and missing terms; null when nothing is expected', () => {
    expect(expectedContent('Alpha, bravo … zulu.', ['alpha', 'zulu', 'omega'])).toEqual({
      terms: ['alpha', 'zulu', 'omega'],
      found: ['alpha', 'zulu'],
      missing: ['omega'],
    });
    expect(expectedContent('anything', [])).toBeNull();
    expect(expectedContent('anything', ['  '])).toBeNull();
  });
});
