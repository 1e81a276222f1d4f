/** The prices a round uses: the settings' table, with the CANARY_PRICES_BLOB merged over it when one is configured. */
import { parsePrices } from '../config/prices.js';
import type { PriceTable } from '../cost/prices.js';
import type { CanarySettings } from '../config/settings.js';
import type { ArtifactStore } from '../store/artifactStore.js';

/** Reads the prices blob, if any; a missing or invalid blob is reported through `warn` and the settings' table is used. */
export async function roundPrices(
  store: ArtifactStore,
  settings: Pick<CanarySettings, 'prices' | 'pricesBlob'>,
  warn: (m: string) => void,
): Promise<PriceTable> {
  if (!settings.pricesBlob) return settings.prices;
  try {
    const body = await store.get(settings.pricesBlob);
    if (!body) {
      warn(
        `CANARY_PRICES_BLOB ${settings.pricesBlob} does not exist; using the shipped prices of ${settings.prices.asOf}`,
      );
      return settings.prices;
    }
    return parsePrices(body.toString('utf8'), `CANARY_PRICES_BLOB ${settings.pricesBlob}`, settings.prices);
  } catch (err) {
    warn(`${err instanceof Error ? err.message : String(err)}; using the shipped prices of ${settings.prices.asOf}`);
    return settings.prices;
  }
}
