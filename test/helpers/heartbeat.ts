/** A region's heartbeat for tests: its round ended `m` minutes after T0, on the default 10-minute schedule. */
import type { Heartbeat } from '../../src/sinks/alerts/watchdog.js';

export const HEARTBEAT_T0 = Date.parse('2026-11-24T08:00:00Z');
/** `m` minutes after {@link HEARTBEAT_T0}. */
export const minute = (m: number): Date => new Date(HEARTBEAT_T0 + m * 60_000);

export function makeHeartbeat(m: number, region = 'eastus2', targets = ['aoai', 'openai']): Heartbeat {
  return {
    version: 1,
    region,
    at: minute(m).toISOString(),
    roundId: `round-${m}`,
    roundStartedAt: minute(m).toISOString(),
    schedule: '0 */10 * * * *',
    nextRunAt: minute(m + 10).toISOString(),
    intervalMs: 600_000,
    silentAfter: minute(m + 20).toISOString(),
    targets,
  };
}
