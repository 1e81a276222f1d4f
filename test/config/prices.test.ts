/** CANARY_PRICES / CANARY_PRICES_BLOB: overrides merged over the price table; a bad one is refused naming the field. */
import { describe, expect, it } from 'vitest';
import { parsePrices } from '../../src/config/prices.js';
import { lookupPrice } from '../../src/cost/prices.js';

describe('price overrides', () => {
  it('price overrides are merged over the table and bad ones name the field', () => {
    const t = parsePrices(
      '{"asOf":"2027-01-02","models":{"my-deployment":{"textIn":1,"cachedTextIn":0.1,"textOut":2,"audioIn":3,"cachedAudioIn":0.3,"audioOut":4}}}',
      'CANARY_PRICES',
    );
    expect(t.asOf).toBe('2027-01-02');
    expect(lookupPrice(t, 'my-deployment')).toMatchObject({ ok: true });
    expect(lookupPrice(t, 'gpt-realtime-2')).toMatchObject({ ok: true });
    expect(() => parsePrices('{"x":{"textIn":-1}}', 'CANARY_PRICES')).toThrow(
      /CANARY_PRICES\.x\.textIn: must be a price/,
    );
    expect(() => parsePrices('[1]', 'CANARY_PRICES')).toThrow(/CANARY_PRICES: must be a JSON object/);
  });
});
