/** The watchdog's deadline from a schedule: more than two intervals after the last round, never before the next run had a whole interval. */
import { describe, expect, it } from 'vitest';
import { silenceDeadline } from '../../src/config/scheduleTimes.js';

describe('silenceDeadline', () => {
  it('is two intervals after the round ended for an evenly spaced schedule', () => {
    expect(
      silenceDeadline('0 */10 * * * *', new Date('2026-11-24T08:00:00.300Z'), new Date('2026-11-24T08:04:00Z')),
    ).toEqual({
      nextRunAt: '2026-11-24T08:10:00.000Z',
      intervalMs: 600_000,
      silentAfter: '2026-11-24T08:24:00.000Z',
    });
  });

  it('is not over a weekend for a weekday schedule: the Monday run gets its whole interval', () => {
    // Friday 27 November 2026, 09:00 → next runs Monday 09:00 and Tuesday 09:00
    expect(
      silenceDeadline('0 0 9 * * 1-5', new Date('2026-11-27T09:00:00Z'), new Date('2026-11-27T09:05:00Z')),
    ).toEqual({
      nextRunAt: '2026-11-30T09:00:00.000Z',
      intervalMs: 86_400_000,
      silentAfter: '2026-12-01T09:00:00.000Z',
    });
  });

  it('is undefined for a schedule that never fires again', () => {
    expect(
      silenceDeadline('0 0 0 31 2 *', new Date('2026-11-24T08:00:00Z'), new Date('2026-11-24T08:00:00Z')),
    ).toBeUndefined();
  });
});
