/** The round's prices: the settings' table, with the CANARY_PRICES_BLOB merged over it when there is one. */
import { describe, expect, it } from 'vitest';

describe('CANARY_PRICES_BLOB', () => {
  it("merges the blob over the settings' prices, and falls back with a warning when it is missing or bad", async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createLocalStore } = await import('../../src/store/localStore.js');
    const { roundPrices } = await import('../../src/runner/roundPrices.js');
    const { DEFAULT_PRICES, lookupPrice } = await import('../../src/cost/prices.js');
    const store = createLocalStore(await mkdtemp(join(tmpdir(), 'rc-prices-')));
    const warnings: string[] = [];
    const settings = { prices: DEFAULT_PRICES, pricesBlob: 'config/prices.json' };
    expect(await roundPrices(store, settings, (m) => warnings.push(m))).toBe(DEFAULT_PRICES);
    await store.put(
      'config/prices.json',
      '{"asOf":"2027-02-01","models":{"aoai-rt":{"textIn":4,"cachedTextIn":0.4,"textOut":16,"audioIn":32,"cachedAudioIn":0.4,"audioOut":64}}}',
      'application/json',
    );
    const merged = await roundPrices(store, settings, (m) => warnings.push(m));
    expect(merged.asOf).toBe('2027-02-01');
    expect(lookupPrice(merged, 'aoai-rt').ok && lookupPrice(merged, 'gpt-realtime-2').ok).toBe(true);
    await store.put('config/prices.json', '{"aoai-rt":{"textIn":"cheap"}}', 'application/json');
    expect(await roundPrices(store, settings, (m) => warnings.push(m))).toBe(DEFAULT_PRICES);
    expect(warnings).toEqual([
      expect.stringContaining('does not exist'),
      expect.stringMatching(/CANARY_PRICES_BLOB config\/prices\.json\.aoai-rt\.textIn: must be a price/),
    ]);
  });
});
